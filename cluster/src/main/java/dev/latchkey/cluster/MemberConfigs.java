package dev.latchkey.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;

import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.cluster.durable.Space;

import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the Hazelcast member configurations: the maps, serializers and network settings.
 *
 * <p>Hazelcast Community cannot run a member without a server socket through its public API
 * ({@code Hazelcast.newHazelcastInstance} always builds a {@code TcpServer}), nor authenticate the
 * members that connect to it (TLS and socket interceptors are Enterprise-only). So the member
 * listens as little as it can: Hazelcast's advanced network with the MEMBER endpoint alone, so
 * the client protocol, REST and memcache have no socket at all, bound to one address, and a
 * cluster name that is a random secret, because it is the only thing a joining member must know.
 * That is why a node on its own runs no member at all ({@link ClusterNode#startStandalone()}).
 */
final class MemberConfigs {
    static final String KV_MAP = "latchkey-kv";
    static final String LEASE_MAP = "latchkey-leases";
    static final String META_MAP = "latchkey-meta";
    static final String BULK_MAP = "latchkey-bulk";

    private static final String LOOPBACK = "127.0.0.1";
    /** A member heard from within this long counts towards the quorum (heartbeats come every second). */
    private static final int QUORUM_TOLERANCE_MILLIS = 3000;
    /** Instance names must be unique in a JVM; the default one would carry the cluster name. */
    private static final AtomicLong INSTANCES = new AtomicLong();

    private MemberConfigs() {
    }

    /** A member that finds the others by TCP/IP on loopback; they share the secret cluster name. */
    static Config localCluster(String clusterSecret, int port, List<String> memberAddresses) {
        Config config = base(clusterSecret);
        JoinConfig join = memberEndpointOnly(config, port, true).getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(memberAddresses));
        // The master batches join requests for this long (default 5 s); on loopback 1 s is plenty.
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        return config;
    }

    /**
     * A member of a configured cluster: bound to the interface it names, announcing that address,
     * joining the listed members by TCP/IP, with the configured number of synchronous backups.
     */
    static Config member(MemberSpec spec, ConcurrentMap<String, Object> userContext, DurableStore durable) {
        Config config = base(spec.clusterName(), spec.backupCount());
        if (durable != null) {
            writeThrough(config.getMapConfig(KV_MAP), new DurableMapStore<>(durable, Space.KV, DurableMapStore.BYTES));
            writeThrough(config.getMapConfig(BULK_MAP), new DurableMapStore<>(durable, Space.OTP, DurableMapStore.BYTES));
            writeThrough(config.getMapConfig(LEASE_MAP),
                    new DurableMapStore<>(durable, Space.CLUSTER_LEASE, DurableMapStore.LEASES));
        }
        config.setUserContext(userContext);
        config.setProperty("hazelcast.socket.bind.any", "false");
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig member = new ServerSocketEndpointConfig().setPort(spec.port())
                .setPortAutoIncrement(false);
        member.setPublicAddress(spec.host().contains(":") ? "[" + spec.host() + "]:" + spec.port()
                : spec.host() + ":" + spec.port());
        if (isIpLiteral(spec.host())) {
            member.getInterfaces().setEnabled(true).addInterface(spec.host());
        }
        network.setMemberEndpointConfig(member);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(spec.members()));
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        spec.attributes().forEach((k, v) -> config.getMemberAttributeConfig().setAttribute(k, v));
        // A member silent for this long no longer counts towards the quorum; one silent for
        // max.no.heartbeat is dropped from the cluster (its partitions move to the others).
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
        config.addSplitBrainProtectionConfig(SplitBrainProtectionConfig
                .newRecentlyActiveSplitBrainProtectionConfigBuilder(Quorum.NAME, spec.quorum(), QUORUM_TOLERANCE_MILLIS)
                .enabled(true).build());
        config.getMapConfig(BULK_MAP).setSplitBrainProtectionName(Quorum.NAME)
                .getMergePolicyConfig().setPolicy(MarkerWins.class.getName());
        config.getMapConfig(LEASE_MAP).setSplitBrainProtectionName(Quorum.NAME);
        // tokens, mounts, roles: a revocation or deletion on either side stays
        config.getMapConfig(KV_MAP).getMergePolicyConfig().setPolicy(MarkerWins.class.getName());
        // The quorum must be lost before an operation whose backup cannot be delivered completes
        // anyway (Quorum checks again afterwards): 1 s heartbeats + 3 s tolerance < this.
        config.setProperty("hazelcast.operation.backup.timeout.millis", "5000");
        // Member traffic leaves from the configured address, as it arrives there.
        config.setProperty("hazelcast.socket.client.bind.any", "false");
        // After a split heals, the sides look for each other and merge within seconds, not minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        return config;
    }

    /**
     * Every change is stored before it returns (no write-behind); the whole store is loaded when
     * the cluster first uses the map; store calls run off the partition threads (offload), so a
     * commit's wait does not hold up other keys.
     */
    private static void writeThrough(MapConfig map, DurableMapStore<?> store) {
        map.setMapStoreConfig(new MapStoreConfig().setEnabled(true).setImplementation(store).setWriteDelaySeconds(0)
                .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER).setOffload(true));
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || host.contains(":");
    }

    private static Config base(String clusterSecret) {
        return base(clusterSecret, 1);
    }

    private static Config base(String clusterSecret, int backupCount) {
        Config config = new Config();
        config.setClusterName(clusterSecret);
        config.setInstanceName("latchkey-member-" + INSTANCES.incrementAndGet());
        // Hazelcast starts every log line with "[cluster name] [version]" unless told not to.
        config.setProperty("hazelcast.logging.details.enabled", "false");
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

        config.addMapConfig(syncBackedMap(KV_MAP, backupCount));
        config.addMapConfig(syncBackedMap(META_MAP, backupCount));
        config.addMapConfig(syncBackedMap(BULK_MAP, backupCount));
        config.addMapConfig(syncBackedMap(LEASE_MAP, backupCount)
                .addIndexConfig(new IndexConfig(IndexType.SORTED, LeaseEntry.DUE_TIME))
                .addIndexConfig(new IndexConfig(IndexType.HASH, LeaseEntry.TOKEN_ACCESSOR)));
        return config;
    }

    /**
     * Synchronous backups (one by default): a write returns only once that many more members hold
     * it. BINARY format, because compare-and-set on byte[] values must compare serialized bytes,
     * not array identity.
     */
    private static MapConfig syncBackedMap(String name, int backupCount) {
        return new MapConfig(name)
                .setBackupCount(backupCount)
                .setAsyncBackupCount(0)
                .setInMemoryFormat(InMemoryFormat.BINARY);
    }

    /**
     * The advanced network with its one default endpoint, MEMBER, on loopback: without a CLIENT
     * endpoint the client protocol has no socket (Hazelcast's client is refused), and REST and
     * memcache are never opened. {@code bind.any=false}: the socket is bound to the interface
     * itself, not to every address of the host.
     */
    private static AdvancedNetworkConfig memberEndpointOnly(Config config, int port, boolean autoIncrement) {
        config.setProperty("hazelcast.socket.bind.any", "false");
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig member = new ServerSocketEndpointConfig().setPort(port).setPortAutoIncrement(autoIncrement);
        member.getInterfaces().setEnabled(true).addInterface(LOOPBACK);
        network.setMemberEndpointConfig(member);
        return network;
    }
}
