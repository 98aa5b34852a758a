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
    private final Storage inner;
    private final WriteTimer timer;

    public TimedStorage(Storage inner, Metrics metrics) {
        this.inner = inner;
        this.timer = new WriteTimer(metrics, "kv");
    }

    @Override
    public Optional<byte[]> get(String key) {
        return inner.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        timer.run("put", () -> inner.put(key, value));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return timer.time("put_if_absent", () -> inner.putIfAbsent(key, value));
    }

    @Override
    public void delete(String key) {
        timer.run("delete", () -> inner.delete(key));
    }

    @Override
    public Optional<byte[]> take(String key) {
        return timer.time("take", () -> inner.take(key));
    }

    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        return timer.timeAsync("put_if_absent", () -> inner.putIfAbsentAsync(key, value));
    }

    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        return timer.timeAsync("take", () -> inner.takeAsync(key));
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        return timer.time("update", () -> inner.update(key, update));
    }

    @Override
    public List<String> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public List<String> listPage(String prefix, String after, int limit) {
        return inner.listPage(prefix, after, limit);
    }

    @Override
    public void deletePrefix(String prefix) {
        timer.run("delete_prefix", () -> inner.deletePrefix(prefix));
    }
}
