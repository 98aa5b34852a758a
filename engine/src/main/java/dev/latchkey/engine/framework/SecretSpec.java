package dev.latchkey.engine.framework;

import java.util.Map;

/**
 * A secret an engine hands out and wants leased, as {@link SecretType#lease} describes it: the core
 * registers a lease for it (for the mount's default TTL) and gives the engine back the same
 * internal data when the lease is revoked or expires.
 *
 * @param type         secret type, e.g. {@code "secret_otp_type"}
 * @param renewable    whether {@code sys/leases/renew} may extend it
 * @param internalData what revocation needs; never returned to clients
 */
public record SecretSpec(String type, boolean renewable, Map<String, Object> internalData) {
    public SecretSpec {
        internalData = Map.copyOf(internalData);
    }

    /** The secret as its engine gets it back, should it have to be taken back at once. */
    public LeasedSecret leased() {
        return new LeasedSecret(type, internalData);
    }
}
