package dev.latchkey.api.seal;

/**
 * What {@code sys/seal-status} reports of the seal, as Vault's {@code GetSealStatus} computes it:
 * before initialisation the seal's own type and no shares; after it, the configuration whose keys
 * {@code sys/unseal} takes (the recovery configuration for an auto-unseal seal, whose type is
 * {@code shamir}).
 *
 * @param threshold {@code t}
 * @param shares    {@code n}
 * @param progress  shares collected towards the threshold
 * @param nonce     the unseal attempt's UUID, "" when none is under way
 */
public record SealStatus(String type, boolean initialized, boolean sealed, int threshold, int shares, int progress,
                         String nonce, boolean recoverySeal) {
}
