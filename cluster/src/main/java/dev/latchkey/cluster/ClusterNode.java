package dev.latchkey.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The embedded Hazelcast member of this process and the sealed storage built on it. Single node and
 * dev mode are a cluster of one.
 *
 * <p>Two names: Hazelcast's cluster name is the secret a member must present to join (Hazelcast
 * Community has no other member authentication), so it is never shown; {@link #displayName()} is
 * Vault's {@code cluster_name}, which status endpoints report to anyone.
 */
public final class ClusterNode implements AutoCloseable {
    private static final String CLUSTER_ID_KEY = "cluster-id";
    private static final String DISPLAY_NAME_KEY = "cluster-name";
    private static final int SECRET_BYTES = 32;

    private final HazelcastInstance hazelcast;
    private final Barrier barrier;
    private final Storage storage;
    private final LeaseStore leaseStore;
    private final IMap<String, byte[]> kvMap;
    private final String clusterId;
    private final String displayName;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterNode(HazelcastInstance hazelcast, Barrier barrier) {
        this.hazelcast = hazelcast;
        this.barrier = barrier;
        this.kvMap = hazelcast.getMap(MemberConfigs.KV_MAP);
        this.storage = new SealedStorage(new HazelcastStorage(kvMap), barrier);
        this.leaseStore = new HazelcastLeaseStore(hazelcast.getMap(MemberConfigs.LEASE_MAP), barrier,
                System::currentTimeMillis);
        Storage meta = new SealedStorage(new HazelcastStorage(hazelcast.getMap(MemberConfigs.META_MAP)), barrier);
        this.clusterId = createOnce(meta, CLUSTER_ID_KEY, UUID.randomUUID().toString());
        this.displayName = createOnce(meta, DISPLAY_NAME_KEY, vaultClusterName());
    }

    /**
     * A single in-memory member with a key that dies with the process: dev mode and tests. It
     * listens on a loopback port the system picks, under a cluster name nobody else is told.
     */
    public static ClusterNode startDev() {
        return start(MemberConfigs.dev(newClusterSecret()), Barrier.withRandomKey());
    }

    /**
     * A member that joins others by TCP/IP on loopback, sealing with a key shared by every member
     * started this way in this JVM. Members in other processes cannot open those values: they must
     * use {@link #startLocalCluster(String, int, List, Barrier)} with a common key.
     *
     * @param clusterSecret the Hazelcast cluster name, which every member must share and which
     *                      admits whoever knows it: make it {@link #newClusterSecret()} and keep it secret
     */
    public static ClusterNode startLocalCluster(String clusterSecret, int port, List<String> memberAddresses) {
        return startLocalCluster(clusterSecret, port, memberAddresses, InProcessKey.BARRIER);
    }

    /** A member that joins others by TCP/IP on loopback; every member must use the same barrier key. */
    public static ClusterNode startLocalCluster(String clusterSecret, int port, List<String> memberAddresses,
                                                Barrier barrier) {
        return start(MemberConfigs.localCluster(clusterSecret, port, memberAddresses), barrier);
    }

    /** A fresh cluster name for members to share: 256 random bits, so it cannot be guessed. */
    public static String newClusterSecret() {
        return "latchkey-" + HexFormat.of().formatHex(Randomness.bytes(SECRET_BYTES));
    }

    private static ClusterNode start(Config config, Barrier barrier) {
        HazelcastLogs.hideClusterName();
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        try {
            return new ClusterNode(hz, barrier);
        } catch (RuntimeException e) {
            hz.shutdown();
            throw e;
        }
    }

    public Storage storage() {
        return storage;
    }

    public LeaseStore leaseStore() {
        return leaseStore;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** A UUID created by the first member of the cluster and shared by every member that joins it. */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Vault's {@code cluster_name}: {@code vault-cluster-} and 8 hex digits, made by the first
     * member and shared by every member that joins. Only a label: it admits nobody.
     */
    public String displayName() {
        return displayName;
    }

    /**
     * The server's storage: sealed; keys matching {@code bulk} (high-volume, never listed, such as
     * outstanding OTPs) in a map of their own; and a member-local read cache for the keys matching
     * {@code cacheable}, which changes made on any member invalidate. Both patterns match whole keys.
     */
    public Storage storage(Pattern bulk, Pattern cacheable) {
        Storage sealedBulk = new SealedStorage(new HazelcastStorage(hazelcast.getMap(MemberConfigs.BULK_MAP)), barrier);
        return cached(new RoutingStorage(storage, sealedBulk, bulk), cacheable);
    }

    private Storage cached(Storage inner, Pattern cacheable) {
        ReadCachingStorage cached = new ReadCachingStorage(inner, cacheable);
        kvMap.addEntryListener(new KeyChangeListener<byte[]>(cached::invalidate, cached::invalidateAll),
                new KeyPatternPredicate<byte[]>(cacheable), false);
        return cached;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && hazelcast.getLifecycleService().isRunning()) {
            hazelcast.shutdown();
        }
    }

    /** Create-once: the first member's value wins, later members read it. */
    private static String createOnce(Storage meta, String key, String candidate) {
        byte[] fresh = candidate.getBytes(StandardCharsets.UTF_8);
        byte[] stored = meta.update(key, current -> current != null ? current : fresh);
        return new String(stored, StandardCharsets.UTF_8);
    }

    /** As Vault names a cluster when its configuration does not: four random bytes in hex. */
    private static String vaultClusterName() {
        return "vault-cluster-" + HexFormat.of().formatHex(Randomness.bytes(4));
    }

    /** Lazily created, so processes that never start a local cluster never make this key. */
    private static final class InProcessKey {
        static final Barrier BARRIER = Barrier.withRandomKey();
    }
}
