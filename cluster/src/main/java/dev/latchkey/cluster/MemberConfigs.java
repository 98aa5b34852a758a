package dev.latchkey.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;

import java.util.List;
import java.util.UUID;

/** Builds the Hazelcast member configurations: the maps, serializers and network settings. */
final class MemberConfigs {
    static final String KV_MAP = "latchkey-kv";
    static final String LEASE_MAP = "latchkey-leases";
    static final String META_MAP = "latchkey-meta";
    static final String BULK_MAP = "latchkey-bulk";

    private static final String LOOPBACK = "127.0.0.1";
    private static final int DEV_BASE_PORT = 5701;

    private MemberConfigs() {
    }

    /** One member on its own: join disabled and a unique name, so no two dev members ever meet. */
    static Config dev() {
        Config config = base("latchkey-dev-" + UUID.randomUUID());
        NetworkConfig network = loopback(config, DEV_BASE_PORT);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        return config;
    }

    /** A member that finds the others by TCP/IP on loopback. */
    static Config localCluster(String clusterName, int port, List<String> memberAddresses) {
        Config config = base(clusterName);
        NetworkConfig network = loopback(config, port);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(memberAddresses));
        // The master batches join requests for this long (default 5 s); on loopback 1 s is plenty.
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        return config;
    }

    private static Config base(String clusterName) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // We close the member ourselves, after the server has stopped taking requests.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.initial.min.cluster.size", "1");
        config.setProperty("hazelcast.initial.wait.seconds", "0");
        config.getJetConfig().setEnabled(false);

        config.getSerializationConfig()
                .addDataSerializableFactory(ClusterSerializableFactory.FACTORY_ID, new ClusterSerializableFactory());
        config.getSerializationConfig().getCompactSerializationConfig().addSerializer(new LeaseEntrySerializer());

        config.addMapConfig(syncBackedMap(KV_MAP));
        config.addMapConfig(syncBackedMap(META_MAP));
        config.addMapConfig(syncBackedMap(BULK_MAP));
        config.addMapConfig(syncBackedMap(LEASE_MAP)
                .addIndexConfig(new IndexConfig(IndexType.SORTED, LeaseEntry.DUE_TIME))
                .addIndexConfig(new IndexConfig(IndexType.HASH, LeaseEntry.TOKEN_ACCESSOR)));
        return config;
    }

    /**
     * One synchronous backup: a write returns only once a second member holds it. BINARY format,
     * because compare-and-set on byte[] values must compare serialized bytes, not array identity.
     */
    private static MapConfig syncBackedMap(String name) {
        return new MapConfig(name)
                .setBackupCount(1)
                .setAsyncBackupCount(0)
                .setInMemoryFormat(InMemoryFormat.BINARY);
    }

    private static NetworkConfig loopback(Config config, int port) {
        config.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(true);
        network.getInterfaces().setEnabled(true).addInterface(LOOPBACK);
        return network;
    }
}
