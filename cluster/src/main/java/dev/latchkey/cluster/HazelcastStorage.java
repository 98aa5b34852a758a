package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.storage.Storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@link Storage} over a Hazelcast map. Values are stored as given: wrap this in
 * {@link SealedStorage} so that nothing enters the map in clear.
 *
 * <p>The map must use the BINARY in-memory format: {@link #update} compares values by their
 * serialized bytes.
 *
 * <p>On a configured cluster's maps, a removal leaves a marker (the empty value, which no stored
 * value is) instead of removing the key: a taken OTP is marked consumed, a deleted key (a revoked
 * token, a removed role) is marked deleted for {@value #MARKER_HOURS} hour. When a network split heals
 * and the two sides merge, the marker wins over the other side's live copy
 * ({@link MarkerWins}): with a plain removal, the merge
 * would put back a redeemed OTP or a revoked token. Reads, listings and inserts treat a marker as
 * no value. (A bulk {@link #deletePrefix} still removes outright: it drops the data of an unmounted
 * engine, which nothing can reach again.)
 */
final class HazelcastStorage implements Storage {
    /** The marker; a sealed or stored value is never empty. */
    static final byte[] MARKER = new byte[0];
    static final int MARKER_HOURS = 1;
    /**
     * Runs a callback on the thread that completes a map operation. Hazelcast's own default would
     * start a new thread per callback on a machine whose common pool has a single thread (two cores).
     */
    private static final Executor ON_COMPLETION = Runnable::run;

    private final IMap<String, byte[]> map;
    private final boolean markers;

    HazelcastStorage(IMap<String, byte[]> map) {
        this(map, false);
    }

    /** @param markers whether removals leave a marker (a configured cluster's maps) */
    HazelcastStorage(IMap<String, byte[]> map, boolean markers) {
        this.map = map;
        this.markers = markers;
    }

    static boolean isMarker(byte[] value) {
        return value != null && value.length == 0;
    }

    @Override
    public Optional<byte[]> get(String key) {
        byte[] v = map.get(key);
        return isMarker(v) ? Optional.empty() : Optional.ofNullable(v);
    }

    @Override
    public void put(String key, byte[] value) {
        map.set(key, value);
    }

    /** One entry processor call on the key's partition, which counts a marker as absent. */
    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return Boolean.TRUE.equals(map.executeOnKey(key, new PutUnlessLive(value)));
    }

    /** One entry processor call, with no thread waiting for it. */
    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        return completion(map.submitToKey(key, new PutUnlessLive(value)));
    }

    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        CompletionStage<byte[]> taken = markers ? map.submitToKey(key, new TakeLeavingMarker()) : map.removeAsync(key);
        return completion(taken).thenApply(Optional::ofNullable);
    }

    /**
     * A plain future completed from Hazelcast's: what callers chain on it runs on the thread that
     * completed the operation (a response thread, or the caller when the key is local and the
     * operation ran at once), never on a thread Hazelcast would start for it.
     */
    static <T> CompletionStage<T> completion(CompletionStage<T> hazelcast) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        hazelcast.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                plain.completeExceptionally(failure);
            } else {
                plain.complete(value);
            }
        }, ON_COMPLETION);
        return plain;
    }

    @Override
    public void delete(String key) {
        if (markers) {
            map.set(key, MARKER, MARKER_HOURS, TimeUnit.HOURS);
        } else {
            map.delete(key);
        }
    }

    @Override
    public Optional<byte[]> take(String key) {
        // One operation on the key's partition thread: of concurrent takes, one gets the value.
        return Optional.ofNullable(markers ? map.executeOnKey(key, new TakeLeavingMarker()) : map.remove(key));
    }

    /**
     * Compare-and-set loop rather than a key lock: no lock can be left behind by a caller that dies,
     * and the function runs here, so it never has to be serialized to the key's owner. The function
     * may therefore run more than once and must not have side effects.
     */
    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        while (true) {
            byte[] current = map.get(key);
            boolean absent = current == null || isMarker(current);
            // A copy, so a function that edits its argument cannot spoil the comparison below.
            byte[] next = update.apply(absent ? null : current.clone());
            if (current == null) {
                if (next == null || map.putIfAbsent(key, next) == null) {
                    return next;
                }
            } else if (absent && next == null) {
                return null;
            } else if (next == null) {
                if (markers ? map.replace(key, current, MARKER) : map.remove(key, current)) {
                    return null;
                }
            } else if (map.replace(key, current, next)) {
                return next;
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public List<String> list(String prefix) {
        TreeSet<String> children = new TreeSet<>();
        for (String key : map.keySet(new KeyPrefixPredicate<>(prefix, markers))) {
            String rest = key.substring(prefix.length());
            if (rest.isEmpty()) {
                continue; // the prefix itself is a key, not a child of it
            }
            int slash = rest.indexOf('/');
            children.add(slash < 0 ? rest : rest.substring(0, slash + 1));
        }
        return new ArrayList<>(children);
    }

    /**
     * A query at a time for the {@code limit - found} least keys under the prefix from a bound on:
     * each member finds them among its own entries ({@link LeastKeys}), so it sends no more than
     * that many keys, however many the prefix holds. A sub-folder's keys give one {@code name/}
     * child, so a page of keys can give fewer children than asked; the next query starts past the
     * last key, or past every key of the folder it lay in. So each query but the first and the
     * last adds a child, and a folder of a million keys costs a query, not a million keys.
     *
     * <p>Each query still reads every key of the map on its members. A sorted index on the key
     * would narrow that to the keys from the bound to the prefix's end, and was left out: with a
     * million keys it made a first page three times slower (1.9 s, not 0.7 s), a middle one only a
     * little faster, and it would cost every write an index update and each entry a cached copy of
     * its value.
     */
    @Override
    public List<String> listPage(String prefix, String after, int limit) {
        List<String> page = new ArrayList<>(Math.min(limit, 1024));
        String from = prefix + after + '\0'; // the least string after prefix + after
        String previous = null;
        while (page.size() < limit) {
            int wanted = limit - page.size(); // a key gives at most one child: the page cannot overflow
            List<String> keys = map.aggregate(new LeastKeys(wanted), new KeyRangePredicate<>(prefix, from, markers));
            int slash = -1;
            for (String key : keys) {
                slash = key.indexOf('/', prefix.length());
                String child = slash < 0 ? key.substring(prefix.length()) : key.substring(prefix.length(), slash + 1);
                // a child not after `after` is a folder that holds it ("a/" for "a/" or "a/b")
                if (child.compareTo(after) > 0 && !child.equals(previous)) {
                    page.add(child);
                }
                previous = child;
            }
            if (keys.size() < wanted) {
                break; // nothing more under the prefix
            }
            String last = keys.get(keys.size() - 1);
            // past a folder: "name0" is the least string above every "name/..." ('0' follows '/')
            from = slash < 0 ? last + '\0' : last.substring(0, slash) + '0';
        }
        return page;
    }

    @Override
    public void deletePrefix(String prefix) {
        map.removeAll(new KeyPrefixPredicate<>(prefix));
    }
}
