package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.DurableChange;
import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.cluster.durable.Space;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.lease.MemoryLeaseStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A single node's lease store: the leases and their indexes in memory ({@link MemoryLeaseStore}),
 * every change sealed ({@link LeaseSeal}) and written to a {@link DurableStore} first, under the
 * lease's lock, then applied to memory, as {@link WriteThroughStorage} does for values. Due times
 * live inside the sealed lease, so after a restart a lease that came due while the node was down
 * is due at once.
 *
 * <p>{@link #putAsync} (a new lease) holds no lock while its commit is under way, as
 * {@link WriteThroughStorage#putIfAbsentAsync} does ({@link KeyLocks#startInFlight}): the lease
 * reaches memory once the commit completes, and every other writer of it waits for that first.
 */
final class WriteThroughLeaseStore implements LeaseStore {
    private final MemoryLeaseStore memory;
    private final DurableStore store;
    private final Barrier barrier;
    private final KeyLocks locks = new KeyLocks();

    private WriteThroughLeaseStore(MemoryLeaseStore memory, DurableStore store, Barrier barrier) {
        this.memory = memory;
        this.store = store;
        this.barrier = barrier;
    }

    /**
     * The store's leases, opened with the barrier.
     *
     * @throws RuntimeException when a lease cannot be opened: the wrong key, or a tampered store
     */
    static WriteThroughLeaseStore load(DurableStore store, Barrier barrier) {
        MemoryLeaseStore memory = new MemoryLeaseStore();
        store.loadAll(Space.LEASE, (id, sealed) -> memory.put(LeaseSeal.open(barrier, id, sealed)));
        return new WriteThroughLeaseStore(memory, store, barrier);
    }

    @Override
    public void put(Lease lease) {
        byte[] sealed = LeaseSeal.seal(barrier, lease);
        ReentrantLock lock = locks.lockSettled(lease.id());
        try {
            store.put(Space.LEASE, lease.id(), sealed);
            memory.put(lease);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletionStage<Void> putAsync(Lease lease) {
        byte[] sealed = LeaseSeal.seal(barrier, lease);
        ReentrantLock lock = locks.lockSettled(lease.id());
        try {
            return locks.startInFlight(lease.id(),
                    () -> store.writeAsync(List.of(DurableChange.put(Space.LEASE, lease.id(), sealed))),
                    () -> memory.put(lease));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean replace(Lease lease) {
        byte[] sealed = LeaseSeal.seal(barrier, lease);
        ReentrantLock lock = locks.lockSettled(lease.id());
        try {
            // every writer of this lease holds the lock, so it cannot vanish between the two steps
            if (memory.get(lease.id()).isEmpty()) {
                return false;
            }
            store.put(Space.LEASE, lease.id(), sealed);
            return memory.replace(lease);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Lease> get(String id) {
        return memory.get(id);
    }

    @Override
    public void delete(String id) {
        ReentrantLock lock = locks.lockSettled(id);
        try {
            if (memory.get(id).isPresent()) {
                store.delete(Space.LEASE, id);
                memory.delete(id);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> idsWithPrefix(String prefix) {
        return memory.idsWithPrefix(prefix);
    }

    @Override
    public List<String> idsByToken(String tokenAccessor) {
        return memory.idsByToken(tokenAccessor);
    }

    /** A single node is responsible for every lease. */
    @Override
    public List<String> dueIds(long nowMillis, int limit) {
        return memory.dueIds(nowMillis, limit);
    }
}
