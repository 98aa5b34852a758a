package dev.latchkey.engine.framework;

import java.util.Map;
import java.util.Objects;

/**
 * A kind of secret an engine leases out, declared the way paths are: its type name, what revoking
 * it does, and whether it may be renewed. An engine registers each of its secret types with its
 * backend, and builds its leased responses through {@link #lease}, so a lease always names a type
 * its engine knows how to undo.
 */
public final class SecretType {
    /** Undoes one secret of this type; must succeed when the secret is already gone. */
    @FunctionalInterface
    public interface Revoker {
        void revoke(Map<String, Object> internalData);
    }

    private final String name;
    private Revoker revoker;
    private boolean renewable;
    private boolean revokedOverNetwork;

    private SecretType(String name) {
        this.name = Objects.requireNonNull(name);
    }

    /** A secret type called {@code name}, as it appears in leases. */
    public static SecretType named(String name) {
        return new SecretType(name);
    }

    public SecretType onRevoke(Revoker revoker) {
        this.revoker = revoker;
        return this;
    }

    /** Leases of this type may be extended with {@code sys/leases/renew}. */
    public SecretType renewable() {
        this.renewable = true;
        return this;
    }

    /**
     * Revoking talks to another host and may take as long as that host makes it wait, so expiry
     * runs it apart from the revocations that only touch storage.
     */
    public SecretType revokedOverNetwork() {
        this.revokedOverNetwork = true;
        return this;
    }

    /** A response whose {@code data} is leased as a secret of this type, with the mount's TTLs. */
    public Response lease(Map<String, Object> data, Map<String, Object> internalData) {
        return Response.leased(data, new SecretSpec(name, renewable, internalData));
    }

    public String name() {
        return name;
    }

    boolean isRevokedOverNetwork() {
        return revokedOverNetwork;
    }

    void revoke(Map<String, Object> internalData) {
        if (revoker != null) {
            revoker.revoke(internalData);
        }
    }
}
