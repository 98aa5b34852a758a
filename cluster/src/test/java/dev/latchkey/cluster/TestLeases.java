package dev.latchkey.cluster;

import dev.latchkey.engine.lease.Lease;

import java.util.Map;

/** Leases for tests. */
final class TestLeases {
    private TestLeases() {
    }

    static Lease lease(String id, String tokenAccessor, long dueTime) {
        return new Lease(id, "mount-uuid-1", "secret_otp_type", Map.of("otp_hash", "hash-of-" + id),
                tokenAccessor, dueTime - 60_000, dueTime, 0, true, 0, "", dueTime);
    }
}
