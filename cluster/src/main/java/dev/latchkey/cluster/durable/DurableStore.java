package dev.latchkey.cluster.durable;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Where a single node keeps its data across restarts: key to sealed bytes, in a few
 * {@link Space}s. The store never sees clear text: every value reaching it is sealed already.
 *
 * <p>Durability: when {@link #write} (or {@link #put}, {@link #delete}) returns, its changes are
 * on stable storage (fsynced, or committed by a database that does), and survive the process
 * being killed and the machine losing power. A write that throws may or may not have reached
 * disk. Concurrent writes are grouped into one commit by the implementations here, so the cost
 * of a sync is shared, but each caller still waits for its own.
 *
 * <p>Atomicity: one {@code write} is all or nothing, and its changes are applied in list order
 * (a later change to the same key wins). Concurrent writes to one key land in the order the
 * store received them; callers that need an order between two writers must order them first.
 * Safe to call from any thread.
 */
public interface DurableStore extends AutoCloseable {
    /** Applies every change in one atomic, durable step. */
    void write(List<DurableChange> changes);

    /**
     * {@link #write}, with no thread waiting for it: the future completes once the changes are
     * durable (or fails as {@code write} would throw), on whichever thread finished the commit, so
     * what depends on it must be quick and must not block. By default, {@code write} on this thread.
     */
    default CompletableFuture<Void> writeAsync(List<DurableChange> changes) {
        try {
            write(changes);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    default void put(Space space, String key, byte[] sealed) {
        write(List.of(DurableChange.put(space, key, sealed)));
    }

    default void delete(Space space, String key) {
        write(List.of(DurableChange.delete(space, key)));
    }

    /** Hands every stored entry of the space to {@code sink}, in no particular order: start-up. */
    void loadAll(Space space, BiConsumer<String, byte[]> sink);

    /** Waits for writes already accepted, then releases the files or connections. */
    @Override
    void close();
}
