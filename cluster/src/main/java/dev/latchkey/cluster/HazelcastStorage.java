package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.storage.Storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * {@link Storage} over a Hazelcast map. Values are stored as given: wrap this in
 * {@link SealedStorage} so that nothing enters the map in clear.
 *
 * <p>The map must use the BINARY in-memory format: {@link #update} compares values by their
 * serialized bytes.
 */
final class HazelcastStorage implements Storage {
    private final IMap<String, byte[]> map;

    HazelcastStorage(IMap<String, byte[]> map) {
        this.map = map;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(map.get(key));
    }

    @Override
    public void put(String key, byte[] value) {
        map.set(key, value);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return map.putIfAbsent(key, value) == null;
    }

    @Override
    public void delete(String key) {
        map.delete(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        // One remove operation on the key's partition thread: of concurrent takes, one gets the value.
        return Optional.ofNullable(map.remove(key));
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
            // A copy, so a function that edits its argument cannot spoil the comparison below.
            byte[] next = update.apply(current == null ? null : current.clone());
            if (current == null) {
                if (next == null || map.putIfAbsent(key, next) == null) {
                    return next;
                }
            } else if (next == null) {
                if (map.remove(key, current)) {
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
        for (String key : map.keySet(new KeyPrefixPredicate<>(prefix))) {
            String rest = key.substring(prefix.length());
            if (rest.isEmpty()) {
                continue; // the prefix itself is a key, not a child of it
            }
            int slash = rest.indexOf('/');
            children.add(slash < 0 ? rest : rest.substring(0, slash + 1));
        }
        return new ArrayList<>(children);
    }

    @Override
    public void deletePrefix(String prefix) {
        map.removeAll(new KeyPrefixPredicate<>(prefix));
    }
}
