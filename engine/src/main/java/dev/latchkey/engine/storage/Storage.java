package dev.latchkey.engine.storage;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Key/value storage as the engine needs it. Keys are {@code /}-separated paths; values are opaque
 * bytes. Implementations are synchronous and may block: callers run off the event loop.
 * Every write has completed durably (as the storage defines it) when the method returns.
 */
public interface Storage {
    Optional<byte[]> get(String key);

    void put(String key, byte[] value);

    /** Stores the value only when the key is absent; true when it was stored. */
    boolean putIfAbsent(String key, byte[] value);

    /** Removes the key; no error when it is absent. */
    void delete(String key);

    /**
     * Atomically removes the key and returns what it held: of any number of concurrent takes of
     * one key, at most one sees a value.
     */
    Optional<byte[]> take(String key);

    /**
     * Atomically replaces the value under the key with {@code update.apply(current)}, where current
     * is null when absent; a null result deletes the key. Returns the new value (or null).
     */
    byte[] update(String key, UnaryOperator<byte[]> update);

    /**
     * The immediate children of a prefix, in lexicographic order, the way Vault lists storage:
     * {@code list("roles/")} gives {@code ["a", "b", "sub/"]} for keys {@code roles/a},
     * {@code roles/b} and {@code roles/sub/c}.
     */
    List<String> list(String prefix);

    /** Removes every key that starts with the prefix. */
    void deletePrefix(String prefix);

    /** A view of this storage in which every key is prefixed with {@code prefix}. */
    default Storage view(String prefix) {
        return new PrefixedStorage(this, prefix);
    }
}
