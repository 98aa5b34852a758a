package dev.latchkey.api.seal;

import java.util.List;

/** The body of {@code PUT sys/init}, every field as Vault's {@code InitRequest} has it (zero when absent). */
public record InitRequest(long secretShares, long secretThreshold, long storedShares, List<String> pgpKeys,
                          long recoveryShares, long recoveryThreshold, List<String> recoveryPgpKeys,
                          String rootTokenPgpKey) {
    public InitRequest {
        pgpKeys = List.copyOf(pgpKeys);
        recoveryPgpKeys = List.copyOf(recoveryPgpKeys);
    }

    /** A Shamir initialisation with {@code shares} shares, {@code threshold} of which unseal. */
    public static InitRequest shamir(int shares, int threshold) {
        return new InitRequest(shares, threshold, 0, List.of(), 0, 0, List.of(), "");
    }
}
