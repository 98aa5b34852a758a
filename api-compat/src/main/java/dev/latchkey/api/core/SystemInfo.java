package dev.latchkey.api.core;

/** Facts about this server that status endpoints report. */
public record SystemInfo(String version, String buildDate, String clusterName, String clusterId,
                         String storageType) {
    /** The Vault release whose SSH-engine semantics Latchkey implements. */
    public static final String VAULT_VERSION = "1.21.0";
}
