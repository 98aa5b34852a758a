package dev.latchkey.cluster.durable;

/**
 * The separate key spaces a durable store keeps, so a storage key can never collide with a lease
 * ID or with the node's own identity records. The code is what the store writes; never reuse one.
 */
public enum Space {
    /** The server's key/value storage: every value sealed under its key. */
    KV(1),
    /** Leases: each sealed under its ID, due time and token accessor inside the seal. */
    LEASE(2),
    /** The node's identity (cluster ID and name), sealed like the KV values. */
    META(3),
    /**
     * A cluster's leases: the due time and token accessor in clear (the lease map's indexes, which
     * a member must rebuild before it is unsealed) ahead of the sealed lease.
     */
    CLUSTER_LEASE(4),
    /** A cluster's outstanding OTPs (and consumed markers), kept apart from the KV values as in memory. */
    OTP(5);

    private final int code;

    Space(int code) {
        this.code = code;
    }

    /** The number the store writes for this space. */
    public int code() {
        return code;
    }

    public static Space ofCode(int code) {
        for (Space s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown durable space " + code);
    }
}
