package dev.latchkey.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A configured cluster's storage beneath the barrier, where the seal keeps its records: a rotated
 * keyring written here is taken up by every other unsealed member before the write returns, so
 * once {@code sys/rotate} has answered, new values are sealed with the new term on every member.
 * (A member that misses it still opens the new term's values: its barrier reads the stored
 * keyring when it meets a term it does not know.)
 */
final class KeyringBroadcast implements Storage {
    private final Storage inner;
    private final HazelcastInstance hazelcast;

    KeyringBroadcast(Storage inner, HazelcastInstance hazelcast) {
        this.inner = inner;
        this.hazelcast = hazelcast;
    }

    private void changed(String key) {
        if (key.equals(KeyringStore.KEYRING_PATH)) {
            BroadcastingStorage.broadcast(hazelcast, CacheInvalidation.Scope.KEYRING, key);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        return inner.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        inner.put(key, value);
        changed(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        boolean stored = inner.putIfAbsent(key, value);
        changed(key);
        return stored;
    }

    @Override
    public void delete(String key) {
        inner.delete(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        return inner.take(key);
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        byte[] result = inner.update(key, update);
        changed(key);
        return result;
    }

    @Override
    public List<String> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
        inner.deletePrefix(prefix);
    }
}
