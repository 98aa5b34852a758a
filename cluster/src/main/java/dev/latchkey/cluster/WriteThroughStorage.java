package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.DurableChange;
import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.cluster.durable.Space;
import dev.latchkey.engine.storage.MemoryStorage;
import dev.latchkey.engine.storage.Storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A single node's storage: the live state in memory, every change written to a
 * {@link DurableStore} first. Sits below {@link SealedStorage}, so the durable store, like the
 * memory, holds only sealed values.
 *
 * <p>Each write takes its key's lock, writes the durable store (which returns once the change is
 * on disk), and only then changes memory. So a reader never sees a value that a crash could
 * still lose; a write whose durable step fails leaves memory as it was; and writes to one key
 * reach disk in the order they reach memory. A take is atomic because every writer of the key
 * holds its lock: the first take finds the value, makes its removal durable, removes it and
 * answers; a second take of the key waits, then finds nothing. An OTP redeemed is therefore
 * gone on disk before {@code verify} answers, and never verifies again after a crash.
 *
 * <p>Reads ({@code get}, {@code list}) take no lock and read memory.
 *
 * <p>{@link #putIfAbsentAsync} (a fresh OTP) and {@link #takeAsync} (its redemption) hold no lock
 * while their commit is under way: the key is marked in flight ({@link KeyLocks#startInFlight}),
 * memory changes once the commit completes, and every other writer of the key waits for that first.
 */
final class WriteThroughStorage implements Storage {
    /** Keys per durable write when deleting a prefix: each group is one commit. */
    private static final int DELETE_GROUP = 512;

    private final MemoryStorage memory;
    private final DurableStore store;
    private final Space space;
    private final KeyLocks locks = new KeyLocks();

    private WriteThroughStorage(MemoryStorage memory, DurableStore store, Space space) {
        this.memory = memory;
        this.store = store;
        this.space = space;
    }

    /** The storage of one space of the store, loaded into memory from what the store holds. */
    static WriteThroughStorage load(DurableStore store, Space space) {
        MemoryStorage memory = new MemoryStorage();
        store.loadAll(space, memory::put);
        return new WriteThroughStorage(memory, store, space);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return memory.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        ReentrantLock lock = locks.lockSettled(key);
        try {
            store.put(space, key, value);
            memory.put(key, value);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        ReentrantLock lock = locks.lockSettled(key);
        try {
            if (memory.get(key).isPresent()) {
                return false;
            }
            store.put(space, key, value);
            memory.put(key, value);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The commit runs while no thread waits; the value reaches memory once it is durable. */
    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        ReentrantLock lock = locks.lockSettled(key);
        try {
            if (memory.get(key).isPresent()) {
                return CompletableFuture.completedFuture(false);
            }
            return locks.startInFlight(key, () -> store.writeAsync(List.of(DurableChange.put(space, key, value))),
                    () -> memory.put(key, value)).thenApply(committed -> true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The removal's commit runs while no thread waits; the key stays readable until it is durable,
     * as with {@link #take}, and a second take of it waits for the first, then finds nothing.
     */
    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        ReentrantLock lock = locks.lockSettled(key);
        try {
            Optional<byte[]> current = memory.get(key);
            if (current.isEmpty()) {
                return CompletableFuture.completedFuture(current);
            }
            return locks.startInFlight(key, () -> store.writeAsync(List.of(DurableChange.delete(space, key))),
                    () -> memory.delete(key)).thenApply(committed -> current);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String key) {
        take(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        ReentrantLock lock = locks.lockSettled(key);
        try {
            Optional<byte[]> current = memory.get(key);
            if (current.isPresent()) { // nothing to make durable for a key that is not there
                store.delete(space, key);
                memory.delete(key);
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** The function runs once, under the key's lock. */
    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        ReentrantLock lock = locks.lockSettled(key);
        try {
            byte[] current = memory.get(key).orElse(null);
            byte[] next = update.apply(current);
            if (next == null) {
                if (current != null) {
                    store.delete(space, key);
                    memory.delete(key);
                }
                return null;
            }
            store.put(space, key, next);
            memory.put(key, next);
            return next.clone();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> list(String prefix) {
        return memory.list(prefix);
    }

    @Override
    public List<String> listPage(String prefix, String after, int limit) {
        return memory.listPage(prefix, after, limit);
    }

    /** Deletes in groups, each group one durable commit under its keys' locks. */
    @Override
    public void deletePrefix(String prefix) {
        locks.awaitInFlight(key -> key.startsWith(prefix)); // in memory once landed, and deleted below with the rest
        List<String> keys = new ArrayList<>();
        for (String key : memory.keys()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        for (int from = 0; from < keys.size(); from += DELETE_GROUP) {
            List<String> group = keys.subList(from, Math.min(keys.size(), from + DELETE_GROUP));
            TreeSet<Integer> stripes = locks.stripes(group);
            locks.lockAll(stripes);
            try {
                List<DurableChange> deletes = new ArrayList<>(group.size());
                group.forEach(k -> deletes.add(DurableChange.delete(space, k)));
                store.write(deletes);
                group.forEach(memory::delete);
            } finally {
                locks.unlockAll(stripes);
            }
        }
    }
}
