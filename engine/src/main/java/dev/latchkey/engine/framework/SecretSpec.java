package dev.latchkey.engine.framework;

import java.util.Map;

/**
 * A secret an engine hands out and wants leased: the core registers a lease for it and calls
 * the engine back with the same internal data when the lease is revoked or expires.
 *
 * @param type         secret type, e.g. {@code "secret_otp_type"}
 * @param ttlSeconds   the engine's own TTL, 0 to use the mount's default
 * @param renewable    whether {@code sys/leases/renew} may extend it
 * @param internalData what revocation needs; never returned to clients
 */
public record SecretSpec(String type, long ttlSeconds, boolean renewable, Map<String, Object> internalData) {
    public SecretSpec {
        internalData = Map.copyOf(internalData);
    }
}
