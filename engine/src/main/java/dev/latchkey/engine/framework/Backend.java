package dev.latchkey.engine.framework;

import dev.latchkey.engine.lease.Lease;

/**
 * A mounted engine: serves logical requests and revokes the secrets it leased.
 * Methods may block (storage round trips, SSH): callers run them off the event loop.
 */
public interface Backend {
    /** The mount type reported in {@code sys/mounts} and the envelope's {@code mount_type}. */
    String type();

    Response handle(Request request);

    /** Whether the path (relative to the mount) is served without a token. */
    boolean isUnauthenticated(String path);

    /** Undoes a leased secret: called on revoke and on expiry. Must be idempotent. */
    void revoke(Lease lease);

    /** Whether revoking this lease talks to another host (and may therefore be slow). */
    default boolean revokesOverNetwork(Lease lease) {
        return false;
    }

    /** Whether a lease of this secret type may be renewed (besides the lease's own flag). */
    default void checkRenewable(Lease lease) {
    }
}
