package dev.latchkey.api;

import dev.latchkey.api.config.ListenerOptions;
import dev.latchkey.api.config.ServerOptions;
import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.api.config.file.ClusterConfig;
import dev.latchkey.api.config.file.ListenerConfig;
import dev.latchkey.api.config.file.ServerConfig;
import dev.latchkey.api.config.file.StaticSealConfig;
import dev.latchkey.api.config.file.StorageConfig;
import dev.latchkey.api.seal.StaticSeal;
import dev.latchkey.cluster.MemberSpec;
import dev.latchkey.cluster.durable.postgres.PostgresStore;
import dev.latchkey.cluster.durable.sqlite.SqliteStore;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration file's server as the node starts it: its listeners with their limits and TLS,
 * the lease TTLs, the storage and the seal.
 */
final class ConfiguredNode {
    /** A negative {@code max_request_size} turns Vault's limit off; this is as near as a node goes. */
    private static final long UNLIMITED_BODY = Long.MAX_VALUE / 16;

    private ConfiguredNode() {
    }

    /**
     * Opens the durable store the configuration names, which the node then owns.
     *
     * @throws IllegalArgumentException with a message for the operator when the configuration asks
     *                                  for something this node cannot start with
     * @throws dev.latchkey.cluster.durable.DurableStoreException when the store cannot be opened
     */
    static NodeOptions options(ServerConfig config, Map<String, String> env) {
        List<ListenerOptions> listeners = config.listeners().stream().map(ConfiguredNode::listener).toList();
        ServerOptions server = ServerOptions.withListeners(listeners,
                new SystemDefaults(config.defaultLeaseTtlSeconds(), config.maxLeaseTtlSeconds()))
                .withTelemetry(config.telemetry());
        NodeOptions node = NodeOptions.inMemory("127.0.0.1", 0).withServer(server);
        if (config.storage() instanceof StorageConfig.File file) {
            node = node.withDurableStore(SqliteStore.open(file.path()), "file");
        } else if (config.storage() instanceof StorageConfig.Postgresql pg) {
            node = node.withDurableStore(PostgresStore.open(pg.jdbcUrl(), pg.user(), pg.password(),
                    pg.table() == null ? PostgresStore.DEFAULT_TABLE : pg.table()), "postgresql");
        }
        ClusterConfig cluster = config.cluster();
        if (cluster != null) {
            // the loader refuses "file" with a cluster: the store here is PostgreSQL's, shared, or none
            String apiAddr = config.apiAddr().isEmpty() ? config.listeners().get(0).url() : config.apiAddr();
            node = node.asMember(new MemberSpec(cluster.name(), cluster.host(), cluster.port(), cluster.members(),
                    cluster.backupCount(), cluster.quorum(), LatchkeyServer.memberAttributes(apiAddr)));
        }
        return withSeal(node, config, env);
    }

    private static NodeOptions withSeal(NodeOptions node, ServerConfig config, Map<String, String> env) {
        return config.seal() == null ? node : node.withStaticSeal(StaticSeal.fromConfig(stanza(config.seal()), env));
    }

    static String storageType(StorageConfig storage) {
        if (storage instanceof StorageConfig.File) {
            return "file";
        }
        if (storage instanceof StorageConfig.Postgresql) {
            return "postgresql";
        }
        return "inmem";
    }

    private static ListenerOptions listener(ListenerConfig l) {
        return new ListenerOptions(l.host(), l.port(), l.maxRequestSize() < 0 ? UNLIMITED_BODY : l.maxRequestSize(),
                l.jsonLimits(), Duration.ofSeconds(l.httpReadHeaderTimeoutSeconds()),
                Duration.ofSeconds(l.httpReadTimeoutSeconds()), Duration.ofSeconds(l.httpIdleTimeoutSeconds()),
                l.maxRequestDurationSeconds() > 0 ? Duration.ofSeconds(l.maxRequestDurationSeconds())
                        : ListenerOptions.DEFAULT_MAX_REQUEST_DURATION,
                ListenerOptions.DEFAULT_MAX_HEADER_BYTES, l.tls(), l.unauthenticatedMetrics());
    }

    /** The stanza's keys as the static seal reads them (unset ones left out). */
    private static Map<String, String> stanza(StaticSealConfig seal) {
        Map<String, String> m = new HashMap<>();
        put(m, "current_key_id", seal.currentKeyId());
        put(m, "current_key", seal.currentKey());
        put(m, "previous_key_id", seal.previousKeyId());
        put(m, "previous_key", seal.previousKey());
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
