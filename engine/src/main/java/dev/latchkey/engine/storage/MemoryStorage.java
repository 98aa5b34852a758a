package dev.latchkey.engine.storage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * {@link Storage} in one JVM's memory: a node on its own, and the engine tests. Every promise of
 * the interface holds, including the atomic ones: {@code take} is one remove and {@code update} one
 * compute on a concurrent map, so each is atomic per key; {@code list} and {@code deletePrefix}
 * are not atomic across keys (neither is any store's), and see each key as it is when they reach it.
 * Values are copied in and out, as a real store serialises them, so a caller that edits an array
 * it stored or read cannot change what is stored.
 */
public final class MemoryStorage implements Storage {
    /** Hash tables of an {@link #unordered()} storage. */
    private static final int SHARDS = 16;

    /** One sorted map (a skip list), or {@value #SHARDS} hash tables when made {@link #unordered()}. */
    private final ConcurrentMap<String, byte[]>[] shards;

    /** Keys kept in order: a listing is a range of them. */
    @SuppressWarnings("unchecked")
    public MemoryStorage() {
        this.shards = new ConcurrentMap[] {new ConcurrentSkipListMap<String, byte[]>()};
    }

    @SuppressWarnings("unchecked")
    private MemoryStorage(int hashTables) {
        this.shards = new ConcurrentMap[hashTables];
        for (int i = 0; i < hashTables; i++) {
            shards[i] = new ConcurrentHashMap<>();
        }
    }

    private ConcurrentMap<String, byte[]> map(String key) {
        if (shards.length == 1) {
            return shards[0];
        }
        int h = key.hashCode();
        return shards[(h ^ (h >>> 16)) & (SHARDS - 1)];
    }

    /**
     * Storage for keys that are written and taken one at a time at a high rate and never listed,
     * such as outstanding OTPs: a hash table, whose writes cost a constant few steps where a sorted
     * map's cost a logarithmic walk through a million entries (a tenth of {@code creds}' CPU at a
     * few hundred thousand OTPs). Listing and prefix deletion still work, by a scan of every key.
     *
     * <p>Several tables rather than one: a hash table doubles its array when it fills, moving every
     * entry, and with one table of a million OTPs the {@code creds} that triggers it waits tens of
     * milliseconds; a table of a {@value #SHARDS}th of them moves a {@value #SHARDS}th as many.
     */
    public static MemoryStorage unordered() {
        return new MemoryStorage(SHARDS);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(map(key).get(key)).map(byte[]::clone);
    }

    @Override
    public void put(String key, byte[] value) {
        map(key).put(key, value.clone());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return map(key).putIfAbsent(key, value.clone()) == null;
    }

    @Override
    public void delete(String key) {
        map(key).remove(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        // one remove: of concurrent takes of a key, exactly one gets what it held
        return Optional.ofNullable(map(key).remove(key));
    }

    /**
     * {@link ConcurrentSkipListMap#compute} retries until no other writer came between read and
     * write, so the function may run more than once (a hash table's runs once, under its bin's lock); like every {@code Storage.update} function it
     * must have no side effects.
     */
    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        byte[] next = map(key).compute(key, (k, current) -> {
            byte[] result = update.apply(current == null ? null : current.clone());
            return result == null ? null : result.clone();
        });
        return next == null ? null : next.clone();
    }

    @Override
    public List<String> list(String prefix) {
        TreeSet<String> children = new TreeSet<>();
        for (String key : keysUnder(prefix)) {
            String rest = key.substring(prefix.length());
            if (!rest.isEmpty()) { // the prefix itself is a key, not a child of it
                int slash = rest.indexOf('/');
                children.add(slash < 0 ? rest : rest.substring(0, slash + 1));
            }
        }
        return new ArrayList<>(children);
    }

    /**
     * Sorted: a walk from the first key after {@code after}, which jumps over a sub-folder once it
     * has given its {@code name/} (a new walk from the first key past the folder), so a page costs
     * a step per leaf and a logarithmic seek per folder in it, however many keys the prefix or its
     * folders hold. Unordered: the interface's scan of every key.
     */
    @Override
    public List<String> listPage(String prefix, String after, int limit) {
        if (!(shards[0] instanceof ConcurrentNavigableMap<String, byte[]> sorted)) {
            return Storage.super.listPage(prefix, after, limit);
        }
        List<String> page = new ArrayList<>(Math.min(limit, 1024));
        // the keys after prefix + after: the prefix itself (a key, not a child) sorts before them
        Iterator<String> keys = sorted.tailMap(prefix + after, false).keySet().iterator();
        while (page.size() < limit && keys.hasNext()) {
            String key = keys.next();
            if (!key.startsWith(prefix)) {
                break; // sorted: no later key has the prefix either
            }
            int slash = key.indexOf('/', prefix.length());
            String child = slash < 0 ? key.substring(prefix.length()) : key.substring(prefix.length(), slash + 1);
            // a child not after `after` is a folder that holds it ("a/" for "a/" or "a/b"): skipped with its keys
            if (child.compareTo(after) > 0) {
                page.add(child);
            }
            if (slash >= 0) {
                // past the folder's last key: "name0" is the least string above every "name/..." ('0' follows '/')
                keys = sorted.tailMap(key.substring(0, slash) + '0', true).keySet().iterator();
            }
        }
        return page;
    }

    @Override
    public void deletePrefix(String prefix) {
        keysUnder(prefix).forEach(key -> map(key).remove(key));
    }

    /** Every key, in order: for tests that look at what an engine stored. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (ConcurrentMap<String, byte[]> map : shards) {
            keys.addAll(map.keySet());
        }
        if (shards.length > 1) {
            keys.sort(null);
        }
        return keys;
    }

    private List<String> keysUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        if (!(shards[0] instanceof ConcurrentNavigableMap<String, byte[]> sorted)) {
            for (ConcurrentMap<String, byte[]> map : shards) {
                for (String key : map.keySet()) {
                    if (key.startsWith(prefix)) {
                        keys.add(key);
                    }
                }
            }
            keys.sort(null);
            return keys;
        }
        for (String key : sorted.tailMap(prefix).keySet()) {
            if (!key.startsWith(prefix)) {
                break; // sorted: no later key has the prefix either
            }
            keys.add(key);
        }
        return keys;
    }
}
