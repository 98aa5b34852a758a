package dev.latchkey.api.metrics;

import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The node's storage with its writes timed into {@code latchkey_storage_write_duration_seconds}.
 * Reads are not timed: most are answered from a member's cache, and a read's cost shows in the
 * request it belongs to. Each operation keeps the atomicity of the storage it wraps; the
 * asynchronous forms are passed on as such, so the OTP hot path keeps its writes in flight.
 */
public final class TimedStorage implements Storage {
    private static final String STORE = "kv";

    private final Storage inner;
    private final Metrics metrics;

    public TimedStorage(Storage inner, Metrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return inner.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        long t = System.nanoTime();
        try {
            inner.put(key, value);
        } finally {
            metrics.storageWrite(STORE, "put", System.nanoTime() - t);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        long t = System.nanoTime();
        try {
            return inner.putIfAbsent(key, value);
        } finally {
            metrics.storageWrite(STORE, "put_if_absent", System.nanoTime() - t);
        }
    }

    @Override
    public void delete(String key) {
        long t = System.nanoTime();
        try {
            inner.delete(key);
        } finally {
            metrics.storageWrite(STORE, "delete", System.nanoTime() - t);
        }
    }

    @Override
    public Optional<byte[]> take(String key) {
        long t = System.nanoTime();
        try {
            return inner.take(key);
        } finally {
            metrics.storageWrite(STORE, "take", System.nanoTime() - t);
        }
    }

    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        long t = System.nanoTime();
        return inner.putIfAbsentAsync(key, value)
                .whenComplete((r, e) -> metrics.storageWrite(STORE, "put_if_absent", System.nanoTime() - t));
    }

    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        long t = System.nanoTime();
        return inner.takeAsync(key).whenComplete((r, e) -> metrics.storageWrite(STORE, "take", System.nanoTime() - t));
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        long t = System.nanoTime();
        try {
            return inner.update(key, update);
        } finally {
            metrics.storageWrite(STORE, "update", System.nanoTime() - t);
        }
    }

    @Override
    public List<String> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
        long t = System.nanoTime();
        try {
            inner.deletePrefix(prefix);
        } finally {
            metrics.storageWrite(STORE, "delete_prefix", System.nanoTime() - t);
        }
    }
}
