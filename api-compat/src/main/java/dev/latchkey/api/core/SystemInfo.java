package dev.latchkey.api.core;

/**
 * Facts about this server that status endpoints report. The cluster's name and ID are read through
 * {@link ClusterIdentity} because a node that starts sealed learns them only once unsealed, and
 * reports them only while unsealed. {@link ClusterView} lists the members for the HA endpoints.
 */
public record SystemInfo(String version, String buildDate, String storageType, ClusterIdentity cluster,
                         ClusterView members) {
    /** The Vault release whose SSH-engine semantics Latchkey implements. */
    public static final String VAULT_VERSION = "1.21.0";

    /** Vault's {@code cluster_name} and {@code cluster_id}; asked only while the node is unsealed. */
    public interface ClusterIdentity {
        String name();

        String id();
    }

    public String clusterName() {
        return cluster.name();
    }

    public String clusterId() {
        return cluster.id();
    }
}
