package dev.latchkey.cluster;

import com.hazelcast.map.MapStore;
import dev.latchkey.cluster.durable.DurableChange;
import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.cluster.durable.Space;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cluster map written through to a durable store shared by every member (PostgreSQL): Hazelcast
 * calls {@link #store} and {@link #delete} on the member that owns the key, before the change
 * returns, and the store commits before they do, so an acknowledged write outlives every member.
 * The values are sealed already; lease entries keep their two index fields in clear beside the
 * sealed lease, as the map does.
 *
 * <p>Loading: when the cluster first uses the map (all its members having stopped), Hazelcast asks
 * one member for every key and each key's owner for its values; each member reads the store once
 * for that and drops what it read a minute after the last request. Afterwards the map holds
 * everything, so a key the map lacks is absent: {@link #load} answers so without asking the store
 * (Hazelcast would otherwise ask on every miss, and every {@code putIfAbsent} is one).
 */
final class DurableMapStore<V> implements MapStore<String, V> {
    /** How values become bytes in the store and back. */
    interface Codec<V> {
        byte[] encode(V value);

        V decode(byte[] stored);
    }

    static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(byte[] stored) {
            return stored;
        }
    };

    /** Due time (8 bytes), accessor length (4) and UTF-8 accessor, then the sealed lease. */
    static final Codec<LeaseEntry> LEASES = new Codec<>() {
        @Override
        public byte[] encode(LeaseEntry e) {
            byte[] accessor = e.tokenAccessor().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(12 + accessor.length + e.body().length).putLong(e.dueTime())
                    .putInt(accessor.length).put(accessor).put(e.body()).array();
        }

        @Override
        public LeaseEntry decode(byte[] stored) {
            ByteBuffer b = ByteBuffer.wrap(stored);
            long due = b.getLong();
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new IllegalStateException("a stored lease entry is malformed");
            }
            byte[] accessor = new byte[length];
            b.get(accessor);
            byte[] body = new byte[b.remaining()];
            b.get(body);
            return new LeaseEntry(due, new String(accessor, StandardCharsets.UTF_8), body);
        }
    };

    private static final long SNAPSHOT_IDLE_SECONDS = 60;
    private static final ScheduledExecutorService JANITOR = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "latchkey-map-load-janitor");
        t.setDaemon(true);
        return t;
    });

    private final DurableStore store;
    private final Space space;
    private final Codec<V> codec;
    private Map<String, byte[]> snapshot;
    private ScheduledFuture<?> release;

    DurableMapStore(DurableStore store, Space space, Codec<V> codec) {
        this.store = store;
        this.space = space;
        this.codec = codec;
    }

    /** A removal's marker ({@link HazelcastStorage#MARKER}) deletes: it only matters to a live cluster's merges. */
    private DurableChange change(String key, V value) {
        byte[] encoded = codec.encode(value);
        return HazelcastStorage.isMarker(encoded) ? DurableChange.delete(space, key) : DurableChange.put(space, key, encoded);
    }

    @Override
    public void store(String key, V value) {
        store.write(List.of(change(key, value)));
    }

    @Override
    public void storeAll(Map<String, V> entries) {
        List<DurableChange> changes = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> changes.add(change(k, v)));
        store.write(changes);
    }

    @Override
    public void delete(String key) {
        store.delete(space, key);
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        List<DurableChange> changes = new ArrayList<>(keys.size());
        keys.forEach(k -> changes.add(DurableChange.delete(space, k)));
        store.write(changes);
    }

    /** Null: once loaded, the map holds every key there is. */
    @Override
    public V load(String key) {
        return null;
    }

    @Override
    public Map<String, V> loadAll(Collection<String> keys) {
        Map<String, byte[]> all = snapshot();
        Map<String, V> out = new HashMap<>();
        for (String k : keys) {
            byte[] v = all.get(k);
            if (v != null) {
                out.put(k, codec.decode(v));
            }
        }
        return out;
    }

    @Override
    public Iterable<String> loadAllKeys() {
        return List.copyOf(snapshot().keySet());
    }

    /** What the store holds, read once for the initial load and released when it has been idle. */
    private synchronized Map<String, byte[]> snapshot() {
        if (snapshot == null) {
            Map<String, byte[]> read = new HashMap<>();
            store.loadAll(space, read::put);
            snapshot = read;
        }
        if (release != null) {
            release.cancel(false);
        }
        release = JANITOR.schedule(this::releaseSnapshot, SNAPSHOT_IDLE_SECONDS, TimeUnit.SECONDS);
        return snapshot;
    }

    private synchronized void releaseSnapshot() {
        snapshot = null;
        release = null;
    }
}
