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
    private final LeaseStore inner;
    private final WriteTimer timer;

    public TimedLeaseStore(LeaseStore inner, Metrics metrics) {
        this.inner = inner;
        this.timer = new WriteTimer(metrics, "leases");
    }

    @Override
    public void put(Lease lease) {
        timer.run("put", () -> inner.put(lease));
    }

    @Override
    public CompletionStage<Void> putAsync(Lease lease) {
        return timer.timeAsync("put", () -> inner.putAsync(lease));
    }

    @Override
    public boolean replace(Lease lease) {
        return timer.time("replace", () -> inner.replace(lease));
    }

    @Override
    public Optional<Lease> get(String id) {
        return inner.get(id);
    }

    @Override
    public void delete(String id) {
        timer.run("delete", () -> inner.delete(id));
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
