package dev.latchkey.engine.storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Key/value storage as the engine needs it. Keys are {@code /}-separated paths; values are opaque
 * bytes. Implementations are synchronous and may block: callers run off the event loop.
 * Every write has completed durably (as the storage defines it) when the method returns.
 *
 * <p>The two operations of the OTP hot path also have asynchronous forms, whose stage completes
 * when the synchronous form would have returned, so that a caller can have both of a
 * {@code creds}' writes in flight at once and no thread waits for a cluster round trip. By default
 * they run the synchronous form on the caller's thread; a storage that can do better (a cluster's
 * map) overrides them, and so does every wrapper that passes them on.
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

    /** {@link #putIfAbsent}, as a stage that may complete on another thread. */
    default CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        return Stages.now(() -> putIfAbsent(key, value));
    }

    /** {@link #take}, as a stage that may complete on another thread. */
    default CompletionStage<Optional<byte[]>> takeAsync(String key) {
        return Stages.now(() -> take(key));
    }

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

    /**
     * One page of {@link #list}: the children of {@code prefix} that sort after {@code after}
     * (every one when it is empty), at most {@code limit} of them, in the same order. This form
     * reads every child and keeps a page; a storage that keeps its keys in order overrides it to
     * read no more than the page, so that a prefix with a million keys lists a page at a time.
     */
    default List<String> listPage(String prefix, String after, int limit) {
        List<String> page = new java.util.ArrayList<>(Math.min(limit, 1024));
        for (String child : list(prefix)) {
            if (page.size() >= limit) {
                break;
            }
            if (child.compareTo(after) > 0) {
                page.add(child);
            }
        }
        return page;
    }

    /** Removes every key that starts with the prefix. */
    void deletePrefix(String prefix);

    /** A view of this storage in which every key is prefixed with {@code prefix}. */
    default Storage view(String prefix) {
        return new PrefixedStorage(this, prefix);
    }
}
