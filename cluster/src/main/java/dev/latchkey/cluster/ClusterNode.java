package dev.latchkey.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.cluster.durable.Space;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.lease.MemoryLeaseStore;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.MemoryStorage;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * This node's storage and lease store, and its cluster identity. Two kinds of node:
 *
 * <ul>
 *   <li>A <em>standalone</em> node ({@link #startStandalone()}: dev mode, a single node) runs no
 *   Hazelcast member and opens no socket: its data is in this process's memory, sealed all the
 *   same. A node on its own gains nothing from Hazelcast, whose Community edition cannot run a
 *   member without a listening port nor tell a real member from a process that writes the member
 *   protocol by hand.</li>
 *   <li>A <em>Hazelcast</em> node ({@link #startLocalCluster}) embeds a member that joins the
 *   others; the data lives in the cluster's maps, sealed before it reaches them.</li>
 * </ul>
 *
 * <p>Two names: Hazelcast's cluster name is the secret a member must present to join (Hazelcast
 * Community has no other member authentication), so it is never shown; {@link #displayName()} is
 * Vault's {@code cluster_name}, which status endpoints report to anyone.
 */
public final class ClusterNode implements AutoCloseable {
    private static final String CLUSTER_ID_KEY = "cluster-id";
    private static final String DISPLAY_NAME_KEY = "cluster-name";
    private static final int SECRET_BYTES = 32;
    /** Where a node started sealed keeps its identity (Vault: {@code core/cluster/local/info}). */
    private static final String LOCAL_INFO_PREFIX = "core/cluster/local/";

    /** Null on a standalone node. */
    private final HazelcastInstance hazelcast;
    /** The durable store behind the node (its own, or its cluster's), closed with it; null when it keeps nothing. */
    private final DurableStore durable;
    private final Barrier barrier;
    private final Storage storage;
    private final LeaseStore leaseStore;
    private final Storage meta;
    /** What lies beneath the barrier on a node started sealed; null otherwise. */
    private final Storage physical;
    /**
     * On a standalone node that keeps everything in process memory: where the bulk keys of
     * {@link #storage(Pattern, Pattern)} live, sealed, in a hash table of their own; null on other nodes.
     */
    private final MemoryStorage bulkMemory;
    private final List<ReadCachingStorage> caches = new CopyOnWriteArrayList<>();
    private volatile String clusterId;
    private volatile String displayName;
    /** A configured cluster's name, which is its {@code cluster_name}; null when made up at first unseal. */
    private volatile String configuredName;
    /** What another member's invalidation reaches on this one; null on a node outside a configured cluster. */
    private volatile MemberCaches memberCaches;
    /**
     * A configured cluster's quorum, without which the OTP and lease maps refuse work, and whose
     * OTP map keeps consumed markers; null on other nodes.
     */
    private volatile Quorum quorum;
    /** Whether the quorum was present when last asked; a return to it drops the cached copies. */
    private volatile boolean quorumSeen;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterNode(HazelcastInstance hazelcast, Barrier barrier, Storage storage, LeaseStore leaseStore,
                        Storage meta, Storage physical) {
        this(hazelcast, null, barrier, storage, leaseStore, meta, physical);
    }

    private ClusterNode(HazelcastInstance hazelcast, DurableStore durable, Barrier barrier, Storage storage,
                        LeaseStore leaseStore, Storage meta, Storage physical) {
        this.hazelcast = hazelcast;
        this.durable = durable;
        this.barrier = barrier;
        this.storage = storage;
        this.leaseStore = leaseStore;
        this.meta = meta;
        this.physical = physical;
        // durable and clustered nodes keep bulk keys where they keep the rest: on disk, in the bulk map
        boolean inMemoryOnly = hazelcast == null && durable == null
                && (physical == null || physical instanceof MemoryStorage);
        this.bulkMemory = inMemoryOnly ? MemoryStorage.unordered() : null;
        if (!barrier.isLocked()) {
            identity();
        }
    }

    private static ClusterNode onHazelcast(HazelcastInstance hazelcast, Barrier barrier) {
        return new ClusterNode(hazelcast, barrier,
                new SealedStorage(new HazelcastStorage(hazelcast.getMap(MemberConfigs.KV_MAP)), barrier),
                new HazelcastLeaseStore(hazelcast.getMap(MemberConfigs.LEASE_MAP), barrier, System::currentTimeMillis),
                new SealedStorage(new HazelcastStorage(hazelcast.getMap(MemberConfigs.META_MAP)), barrier), null);
    }

    /**
     * A node on its own, in memory, with a key that dies with the process: dev mode, a single
     * node, and tests. No Hazelcast member, no socket.
     */
    public static ClusterNode startStandalone() {
        return standalone(new MemoryStorage(), Barrier.withRandomKey());
    }

    /**
     * A standalone node over the given memory, which holds only sealed values (a node on a local
     * file must keep it so): tests look inside.
     */
    static ClusterNode standalone(MemoryStorage memory, Barrier barrier) {
        return new ClusterNode(null, barrier, new SealedStorage(memory, barrier), new MemoryLeaseStore(),
                new SealedStorage(new MemoryStorage(), barrier), null);
    }

    /**
     * A node on its own whose barrier starts locked: a server that starts sealed, as Vault does,
     * and is unsealed through its seal lifecycle, which keeps the barrier's keys in
     * {@code physical} beside the sealed values ({@link KeyringStore}). The cluster's identity is
     * kept there too, sealed, and made on first use after unsealing.
     *
     * @param physical what the node stores, sealed: memory, or a durable store
     * @param leases   makes the store its leases live in, given the node's barrier (with which a
     *                 store that keeps leases outside the process seals them)
     */
    public static ClusterNode standaloneSealed(Storage physical, Function<Barrier, LeaseStore> leases) {
        Barrier barrier = Barrier.locked();
        Storage sealed = new SealedStorage(physical, barrier);
        return new ClusterNode(null, barrier, sealed, leases.apply(barrier), sealed.view(LOCAL_INFO_PREFIX), physical);
    }

    /**
     * {@link #standaloneSealed(Storage, Function)} over a durable store, which the node owns and
     * closes: the sealed values (and the seal's own records beside them) are loaded now, as they
     * are, and written through to the store before each change returns. Leases are loaded on their
     * first use, because opening them needs the barrier, which is locked until the node is unsealed;
     * nothing uses them before (a sealed node answers every other request with 503 and its reaper
     * does not run).
     */
    public static ClusterNode standaloneSealed(DurableStore store) {
        try {
            Storage physical = WriteThroughStorage.load(store, Space.KV);
            Barrier barrier = Barrier.locked();
            Storage sealed = new SealedStorage(physical, barrier);
            LeaseStore leases = new LoadOnFirstUseLeaseStore(() -> WriteThroughLeaseStore.load(store, barrier));
            return new ClusterNode(null, store, barrier, sealed, leases, sealed.view(LOCAL_INFO_PREFIX), physical);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * A node on its own whose data survives restarts: the live state in memory, as
     * {@link #startStandalone()} keeps it, and every change sealed with {@code barrier} and on
     * disk (or committed to the database) before the call that made it returns. Everything the
     * store holds is loaded now; leases that came due while the node was down are due at once.
     * The node owns the store from now on and closes it with itself, also when this fails.
     *
     * @param barrier the key the store's values were sealed with; a wrong one fails here
     */
    public static ClusterNode startStandalone(DurableStore store, Barrier barrier) {
        try {
            return new ClusterNode(null, store, barrier,
                    new SealedStorage(WriteThroughStorage.load(store, Space.KV), barrier),
                    WriteThroughLeaseStore.load(store, barrier),
                    new SealedStorage(WriteThroughStorage.load(store, Space.META), barrier), null);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
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

    /**
     * A member of a configured cluster whose barrier starts locked, as {@link #standaloneSealed}'s
     * does: the seal's records, the sealed values and the leases live in the cluster's maps,
     * shared by every member, so one {@code sys/init} serves them all and each member is unsealed
     * with the same keys. Joins the listed members now; with none reachable it starts a cluster of
     * its own, which the others join when they start.
     *
     * @throws IllegalStateException when the member cannot start (its address cannot be bound)
     */
    public static ClusterNode joinSealed(MemberSpec spec) {
        return joinSealed(spec, null);
    }

    /**
     * {@link #joinSealed(MemberSpec)} with the cluster's maps written through to {@code durable},
     * a store every member shares (PostgreSQL), and loaded from it when the cluster first uses
     * them. The node owns the store and closes it after its member has left, also when this fails.
     */
    public static ClusterNode joinSealed(MemberSpec spec, DurableStore durable) {
        HazelcastLogs.hideClusterName();
        Barrier barrier = Barrier.locked();
        MemberCaches caches = new MemberCaches(barrier);
        ConcurrentHashMap<String, Object> context = new ConcurrentHashMap<>();
        context.put(MemberCaches.CONTEXT_KEY, caches);
        HazelcastInstance hz;
        try {
            MemberChecks.addressIsUsable(spec);
            hz = Hazelcast.newHazelcastInstance(MemberConfigs.member(spec, context, durable));
        } catch (ClusterStartException e) {
            if (durable != null) {
                durable.close();
            }
            throw e;
        } catch (RuntimeException e) {
            if (durable != null) {
                durable.close();
            }
            throw new IllegalStateException("the cluster member could not start on " + spec.host() + ":" + spec.port()
                    + ": " + e.getMessage(), e);
        }
        try {
            MemberChecks.admittedWhereMembersListen(hz, spec);
            Storage physical = new HazelcastStorage(hz.getMap(MemberConfigs.KV_MAP), true);
            KeyringStore keyrings = new KeyringStore(physical);
            barrier.readRotationsFrom(keyrings::reopen);
            Storage sealed = new SealedStorage(physical, barrier);
            // made on first use: the lease map's indexes are created with its proxy, which the
            // quorum refuses while this member is alone
            LeaseStore leases = new LoadOnFirstUseLeaseStore(() -> new HazelcastLeaseStore(
                    hz.getMap(MemberConfigs.LEASE_MAP), barrier, System::currentTimeMillis));
            Quorum quorum = Quorum.of(hz);
            ClusterNode node = new ClusterNode(hz, durable, barrier, sealed, quorum.leases(leases),
                    sealed.view(LOCAL_INFO_PREFIX), BroadcastingStorage.sharingKeyrings(physical, hz));
            node.memberCaches = caches;
            node.configuredName = spec.clusterName();
            node.quorum = quorum;
            hz.getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                    // this member was on the smaller side of a split: what it cached may be stale
                    node.forgetOpenedCopies();
                    barrier.refresh();
                }
            });
            return node;
        } catch (RuntimeException e) {
            hz.shutdown();
            if (durable != null) {
                durable.close();
            }
            throw e;
        }
    }

    /** A fresh cluster name for members to share: 256 random bits, so it cannot be guessed. */
    public static String newClusterSecret() {
        return "latchkey-" + HexFormat.of().formatHex(Randomness.bytes(SECRET_BYTES));
    }

    private static ClusterNode start(Config config, Barrier barrier) {
        HazelcastLogs.hideClusterName();
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        try {
            return onHazelcast(hz, barrier);
        } catch (RuntimeException e) {
            hz.shutdown();
            throw e;
        }
    }

    public Storage storage() {
        return storage;
    }

    /** An in-memory standalone node's table of bulk keys, as sealed values: tests look inside. */
    MemoryStorage bulkMemory() {
        return bulkMemory;
    }

    public LeaseStore leaseStore() {
        return leaseStore;
    }

    /** True for a node that runs no Hazelcast member ({@link #startStandalone()}). */
    public boolean isStandalone() {
        return hazelcast == null;
    }

    /**
     * The embedded member of a Hazelcast node, for tests and tools that look at the cluster itself.
     *
     * @throws IllegalStateException on a standalone node, which has none
     */
    public HazelcastInstance hazelcast() {
        if (hazelcast == null) {
            throw new IllegalStateException("a standalone node runs no Hazelcast member");
        }
        return hazelcast;
    }

    /**
     * A UUID created by the first member of the cluster (the node itself, if standalone) and shared by
     * every member that joins it.
     *
     * @throws BarrierSealedException before a node started sealed has first been unsealed
     */
    public String clusterId() {
        identity();
        return clusterId;
    }

    /**
     * Vault's {@code cluster_name}: {@code vault-cluster-} and 8 hex digits, made by the first
     * member and shared by every member that joins. Only a label: it admits nobody.
     */
    public String displayName() {
        identity();
        return displayName;
    }

    /** Reads (or makes) the identity once; needs the barrier open. */
    private void identity() {
        if (clusterId != null) {
            return;
        }
        synchronized (this) {
            if (clusterId == null) {
                String id = createOnce(meta, CLUSTER_ID_KEY, UUID.randomUUID().toString());
                displayName = configuredName != null ? configuredName
                        : createOnce(meta, DISPLAY_NAME_KEY, vaultClusterName());
                clusterId = id; // last: its being set says both are
            }
        }
    }

    /**
     * One member of this node's cluster as this node sees it.
     *
     * @param address    its member address, {@code host:port}
     * @param self       whether it is this node
     * @param attributes what it announced when it joined ({@link MemberSpec#attributes})
     */
    public record MemberInfo(String address, boolean self, Map<String, String> attributes) {
    }

    /** The cluster's current members, this node among them; empty on a standalone node. */
    public List<MemberInfo> members() {
        if (hazelcast == null || !hazelcast.getLifecycleService().isRunning()) {
            return List.of();
        }
        Member local = hazelcast.getCluster().getLocalMember();
        List<MemberInfo> out = new ArrayList<>();
        for (Member m : hazelcast.getCluster().getMembers()) {
            String host = m.getAddress().getHost();
            String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + m.getAddress().getPort();
            out.add(new MemberInfo(address, m.equals(local), Map.copyOf(m.getAttributes())));
        }
        return out;
    }

    /**
     * Whether this node sees a quorum of its cluster (within the last few seconds); always true for
     * a node outside a configured cluster. Never blocks.
     */
    public boolean hasQuorum() {
        Quorum q = quorum;
        if (q == null) {
            return true;
        }
        boolean present = q.present();
        if (!present) {
            quorumSeen = false;
        } else if (!quorumSeen) {
            // Back from a split (or just started): while cut off, this member missed the others'
            // invalidations, so nothing it cached may be served before it is read again.
            synchronized (this) {
                if (!quorumSeen) {
                    forgetOpenedCopies();
                    barrier.refresh();
                    quorumSeen = true;
                }
            }
        }
        return present;
    }

    /** The barrier that seals everything this node stores. */
    public Barrier barrier() {
        return barrier;
    }

    /**
     * The storage beneath the barrier of a node started with {@link #standaloneSealed}, where the
     * seal keeps its configuration and the barrier's wrapped keys.
     *
     * @throws IllegalStateException on any other node
     */
    public Storage physical() {
        if (physical == null) {
            throw new IllegalStateException("only a node started sealed exposes its physical storage");
        }
        return physical;
    }

    /**
     * Drops every opened copy the read caches of {@link #storage(Pattern, Pattern)} hold: sealing
     * the node must leave no plaintext behind in them.
     */
    public void forgetOpenedCopies() {
        caches.forEach(ReadCachingStorage::invalidateAll);
    }

    /**
     * The server's storage. On a Hazelcast node: sealed; keys matching {@code bulk} (high-volume,
     * never listed, such as outstanding OTPs) in a map of their own; and a member-local read cache
     * for the keys matching {@code cacheable}, which changes made on any member invalidate. Both
     * patterns match whole keys. On a standalone node the bulk keys go to a hash table of their
     * own when the node keeps everything in memory (one write per {@code creds} then costs a few
     * steps, not a walk down a sorted map of every OTP), and stay with the rest on a durable one;
     * the read cache stays either way: every read of sealed memory pays a decryption, and a
     * {@code lookup} over a thousand roles would pay a thousand. The node's only writer is the
     * storage returned here, whose own writes keep its cache true; {@link #storage()} is for
     * reading alongside it, and does not see the bulk keys of an in-memory node.
     */
    public Storage storage(Pattern bulk, Pattern cacheable) {
        if (hazelcast == null) {
            Storage routed = bulkMemory == null ? storage
                    : new RoutingStorage(storage, new SealedStorage(bulkMemory, barrier), bulk);
            ReadCachingStorage cached = new ReadCachingStorage(routed, cacheable);
            caches.add(cached);
            return cached;
        }
        IMap<String, byte[]> bulkMap = hazelcast.getMap(MemberConfigs.BULK_MAP);
        Storage sealedBulk = quorum == null ? new SealedStorage(new HazelcastStorage(bulkMap), barrier)
                : quorum.storage(new SealedStorage(new HazelcastStorage(bulkMap, true), barrier));
        return cached(new RoutingStorage(storage, sealedBulk, bulk), cacheable);
    }

    private Storage cached(Storage inner, Pattern cacheable) {
        ReadCachingStorage cached = new ReadCachingStorage(BroadcastingStorage.droppingCopies(inner, cacheable, hazelcast),
                cacheable);
        caches.add(cached);
        if (memberCaches != null) {
            memberCaches.add(cached);
        }
        IMap<String, byte[]> kvMap = hazelcast.getMap(MemberConfigs.KV_MAP);
        kvMap.addEntryListener(new KeyChangeListener<byte[]>(cached::invalidate, cached::invalidateAll),
                new KeyPatternPredicate<byte[]>(cacheable), false);
        return cached;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (hazelcast != null && hazelcast.getLifecycleService().isRunning()) {
            hazelcast.shutdown();
        }
        if (durable != null) {
            durable.close();
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
