package dev.latchkey.api.metrics;

import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The lease store with its writes timed into {@code latchkey_storage_write_duration_seconds}
 * ({@code store="leases"}); each operation keeps the atomicity of the store it wraps.
 */
public final class TimedLeaseStore implements LeaseStore {
    private static final String STORE = "leases";

    private final LeaseStore inner;
    private final Metrics metrics;

    public TimedLeaseStore(LeaseStore inner, Metrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
    }

    @Override
    public void put(Lease lease) {
        long t = System.nanoTime();
        try {
            inner.put(lease);
        } finally {
            metrics.storageWrite(STORE, "put", System.nanoTime() - t);
        }
    }

    @Override
    public CompletionStage<Void> putAsync(Lease lease) {
        long t = System.nanoTime();
        return inner.putAsync(lease).whenComplete((r, e) -> metrics.storageWrite(STORE, "put", System.nanoTime() - t));
    }

    @Override
    public boolean replace(Lease lease) {
        long t = System.nanoTime();
        try {
            return inner.replace(lease);
        } finally {
            metrics.storageWrite(STORE, "replace", System.nanoTime() - t);
        }
    }

    @Override
    public Optional<Lease> get(String id) {
        return inner.get(id);
    }

    @Override
    public void delete(String id) {
        long t = System.nanoTime();
        try {
            inner.delete(id);
        } finally {
            metrics.storageWrite(STORE, "delete", System.nanoTime() - t);
        }
    }

    @Override
    public List<String> idsWithPrefix(String prefix) {
        return inner.idsWithPrefix(prefix);
    }

    @Override
    public List<String> idsByToken(String tokenAccessor) {
        return inner.idsByToken(tokenAccessor);
    }

    @Override
    public List<String> dueIds(long nowMillis, int limit) {
        return inner.dueIds(nowMillis, limit);
    }
}
