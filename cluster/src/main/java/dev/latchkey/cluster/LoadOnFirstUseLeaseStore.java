package dev.latchkey.cluster;

import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A lease store made on its first use, for a node whose leases can only be opened once it is
 * unsealed. Every promise is the loaded store's; the load happens once, and a failed load is
 * tried again on the next use.
 */
final class LoadOnFirstUseLeaseStore implements LeaseStore {
    private final Supplier<LeaseStore> load;
    private volatile LeaseStore loaded;

    LoadOnFirstUseLeaseStore(Supplier<LeaseStore> load) {
        this.load = load;
    }

    private LeaseStore store() {
        LeaseStore s = loaded;
        if (s == null) {
            synchronized (this) {
                s = loaded;
                if (s == null) {
                    s = load.get();
                    loaded = s;
                }
            }
        }
        return s;
    }

    @Override
    public void put(Lease lease) {
        store().put(lease);
    }

    @Override
    public CompletionStage<Void> putAsync(Lease lease) {
        return store().putAsync(lease);
    }

    @Override
    public boolean replace(Lease lease) {
        return store().replace(lease);
    }

    @Override
    public Optional<Lease> get(String id) {
        return store().get(id);
    }

    @Override
    public void delete(String id) {
        store().delete(id);
    }

    @Override
    public List<String> idsWithPrefix(String prefix) {
        return store().idsWithPrefix(prefix);
    }

    @Override
    public List<String> idsByToken(String tokenAccessor) {
        return store().idsByToken(tokenAccessor);
    }

    @Override
    public List<String> dueIds(long nowMillis, int limit) {
        return store().dueIds(nowMillis, limit);
    }
}
