package dev.latchkey.api.metrics;

import java.util.Map;

/**
 * What the node's gauges read. The cheap ones are read at every scrape and must not block; the
 * counts of stored things ({@link #usage}) are read on a schedule, off any request's path.
 */
public interface NodeGauges {
    /** Whether the barrier is open. */
    boolean unsealed();

    /** Vault's {@code cluster_name}, for the {@code cluster} label; asked only while unsealed. */
    String clusterName();

    /** Mounts by table ({@code auth} or {@code logical}) and locality ({@code true} for local mounts). */
    Map<MountKind, Integer> mounts();

    /** Members of the cluster this node sees, itself included (1 for a single node). */
    int members();

    /** Whether this node sees a quorum of its cluster (always, for a single node). */
    boolean quorum();

    /** Counts of what is stored; may read the storage, so it runs on a schedule. */
    Usage usage();

    /** A mount table and whether the mount is local to this node. */
    record MountKind(String table, boolean local) {
    }

    /**
     * @param tokens           live service tokens
     * @param entities         identity entities
     * @param leases           every lease stored
     * @param leasesDue        of the leases this node revokes, those past their expiry (or a failed
     *                         revocation's retry time) and not yet revoked: its share of the reaper's backlog
     */
    record Usage(long tokens, long entities, long leases, long leasesDue) {
    }
}
