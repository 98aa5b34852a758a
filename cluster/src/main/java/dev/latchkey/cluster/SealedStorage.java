package dev.latchkey.cluster;

import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Seals every value with the {@link Barrier} before it reaches the inner storage, using the full key
 * as associated data. Keys stay in clear: they are paths, never secrets (OTPs are stored under
 * salted hashes), and prefix listing needs them.
 */
final class SealedStorage implements Storage {
    private final Storage inner;
    private final Barrier barrier;

    SealedStorage(Storage inner, Barrier barrier) {
        this.inner = inner;
        this.barrier = barrier;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return inner.get(key).map(sealed -> barrier.open(key, sealed));
    }

    @Override
    public void put(String key, byte[] value) {
        inner.put(key, barrier.seal(key, value));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return inner.putIfAbsent(key, barrier.seal(key, value));
    }

    @Override
    public void delete(String key) {
        inner.delete(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        return inner.take(key).map(sealed -> barrier.open(key, sealed));
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        byte[] sealed = inner.update(key, current -> {
            byte[] next = update.apply(current == null ? null : barrier.open(key, current));
            return next == null ? null : barrier.seal(key, next);
        });
        // Opening what was stored, rather than remembering the last result, holds for any inner
        // storage however often it calls the function.
        return sealed == null ? null : barrier.open(key, sealed);
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
