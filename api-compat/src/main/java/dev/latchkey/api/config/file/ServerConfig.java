package dev.latchkey.api.config.file;

import dev.latchkey.api.config.TelemetryOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * The server's configuration after every {@code -config} file is merged, the environment and flags
 * are applied, and the defaults are filled in.
 *
 * @param listeners             at least one
 * @param storage               never null
 * @param seal                  null: Shamir, Vault's default
 * @param apiAddr               {@code api_addr}, or the {@code VAULT_API_ADDR} family; "" when neither
 * @param defaultLeaseTtlSeconds {@code default_lease_ttl}, 768h by default
 * @param maxLeaseTtlSeconds    {@code max_lease_ttl}, 768h by default
 * @param logLevel              one of {@code trace debug info warn error}
 * @param logFormat             {@code standard} or {@code json}
 * @param pidFile               null when absent
 * @param files                 the files read, in the order they were merged
 * @param cluster               the {@code cluster} stanza; null for a node on its own
 * @param telemetry             the {@code telemetry} stanza; {@link TelemetryOptions#NONE} when absent
 */
public record ServerConfig(List<ListenerConfig> listeners, StorageConfig storage, StaticSealConfig seal,
                           String apiAddr, long defaultLeaseTtlSeconds, long maxLeaseTtlSeconds, String logLevel,
                           LogFormat logFormat, Path pidFile, List<Path> files, ClusterConfig cluster,
                           TelemetryOptions telemetry) {
    public ServerConfig {
        listeners = List.copyOf(listeners);
        files = List.copyOf(files);
    }

    /** {@code log_format}. */
    public enum LogFormat {
        STANDARD, JSON
    }
}
