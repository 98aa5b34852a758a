package dev.latchkey.engine.lease;

import dev.latchkey.engine.random.Randomness;

/** Lease IDs as current Vault writes them: the request path, '/', and 24 random base62 characters. */
public final class LeaseIds {
    private LeaseIds() {
    }

    public static String forPath(String requestPath) {
        return requestPath + "/" + Randomness.base62(24);
    }
}
