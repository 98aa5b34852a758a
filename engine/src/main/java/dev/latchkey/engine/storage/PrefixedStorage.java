package dev.latchkey.engine.storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/** A storage view that keeps every key under one prefix: how a mount gets private storage. */
final class PrefixedStorage implements Storage {
    private final Storage inner;
    private final String prefix;

    PrefixedStorage(Storage inner, String prefix) {
        this.inner = inner;
        this.prefix = prefix;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return inner.get(prefix + key);
    }

    @Override
    public void put(String key, byte[] value) {
        inner.put(prefix + key, value);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return inner.putIfAbsent(prefix + key, value);
    }

    @Override
    public void delete(String key) {
        inner.delete(prefix + key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        return inner.take(prefix + key);
    }

    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        return inner.putIfAbsentAsync(prefix + key, value);
    }

    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        return inner.takeAsync(prefix + key);
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        return inner.update(prefix + key, update);
    }

    @Override
    public List<String> list(String listPrefix) {
        return inner.list(prefix + listPrefix);
    }

    @Override
    public List<String> listPage(String listPrefix, String after, int limit) {
        return inner.listPage(prefix + listPrefix, after, limit);
    }

    @Override
    public void deletePrefix(String deleted) {
        inner.deletePrefix(prefix + deleted);
    }

    @Override
    public Storage view(String more) {
        return new PrefixedStorage(inner, prefix + more);
    }
}
