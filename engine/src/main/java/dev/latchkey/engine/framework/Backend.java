package dev.latchkey.engine.framework;

import java.util.Optional;

/**
 * A mounted engine: serves logical requests and undoes the secrets it leased.
 * Methods may block (storage round trips, SSH): callers run them off the event loop.
 */
public interface Backend {
    /** The mount type reported in {@code sys/mounts} and the envelope's {@code mount_type}. */
    String type();

    Response handle(Request request);

    /** Whether the path (relative to the mount) is served without a token. */
    boolean isUnauthenticated(String path);

    /**
     * Whether the path (relative to the mount) needs the {@code sudo} capability besides the one
     * its operation needs, as Vault's root-protected paths do.
     */
    boolean requiresSudo(String path);

    /**
     * For a write to the path (relative to the mount): whether what it names exists already, when
     * the path declares an existence check as Vault's do; empty when it declares none, and a write
     * is then an update. Decides whether the write needs {@code create} or {@code update}.
     */
    default Optional<Boolean> exists(String path) {
        return Optional.empty();
    }

    /**
     * A bounded name for the paths {@code path} belongs to ({@code creds} for {@code creds/web}),
     * for metrics labels; empty when no path of this backend matches.
     */
    default Optional<String> family(String path) {
        return Optional.empty();
    }

    /**
     * For a login request: the name its lockout is counted under (the username as sent, an AppRole
     * role ID), or empty for requests that are not logins or methods without lockout.
     */
    default Optional<String> lockoutAlias(Request request) {
        return Optional.empty();
    }

    /**
     * For the renewal of a token that a login on this mount made ({@code loginPath} relative to the
     * mount, the token's metadata and policies): the login as it would be made now, whose TTLs bound
     * the renewal, or a refusal (the user is gone, its policies changed); empty when this backend
     * makes no logins.
     */
    default Optional<Login> renewLogin(String loginPath, java.util.Map<String, String> tokenMetadata,
                                       java.util.List<String> tokenPolicies) {
        return Optional.empty();
    }

    /**
     * Upkeep, as Vault's periodic functions: called about once a minute on every unsealed node,
     * so it must tolerate running on several nodes at once and do little when nothing is due.
     */
    default void periodic() {
    }

    /**
     * Undoes a secret this engine leased: called on revoke and on expiry, and when leasing a
     * secret the engine just issued failed. Must be idempotent.
     */
    void revoke(LeasedSecret secret);

    /** Whether revoking secrets of this type talks to another host (and may therefore be slow). */
    boolean revokesOverNetwork(String secretType);
}
