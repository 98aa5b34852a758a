package dev.latchkey.engine.lease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link LeaseStore} in one JVM's memory, for a node on its own, which is responsible for every
 * lease. One lock guards the leases and the two indexes (by due time, by token accessor), so a
 * query never sees an index that disagrees with the lease it points to; every operation under it
 * is a logarithmic step (or a range of them), never a scan of all leases.
 *
 * <p>Leases are kept as {@link LeaseCodec} bytes, as a clustered store keeps them: compact (a
 * million live OTPs are a million leases), and a caller can never change a stored lease through
 * a mutable value it put into the internal data.
 */
public final class MemoryLeaseStore implements LeaseStore {
    private static final Comparator<Due> DUE_ORDER = Comparator.comparingLong(Due::dueTime).thenComparing(Due::id);

    /** A lease as stored: the indexed fields, and the rest encoded. */
    private record Entry(long dueTime, String tokenAccessor, byte[] body) {
    }

    /** A key of the due-time index. */
    private record Due(long dueTime, String id) {
    }

    private final TreeMap<String, Entry> byId = new TreeMap<>();
    private final TreeSet<Due> byDueTime = new TreeSet<>(DUE_ORDER);
    private final Map<String, TreeSet<String>> byToken = new HashMap<>();

    @Override
    public void put(Lease lease) {
        Entry entry = entry(lease);
        synchronized (this) {
            unindex(lease.id(), byId.put(lease.id(), entry));
            index(lease.id(), entry);
        }
    }

    @Override
    public boolean replace(Lease lease) {
        Entry entry = entry(lease);
        synchronized (this) {
            Entry old = byId.get(lease.id());
            if (old == null) {
                return false;
            }
            byId.put(lease.id(), entry);
            unindex(lease.id(), old);
            index(lease.id(), entry);
            return true;
        }
    }

    @Override
    public Optional<Lease> get(String id) {
        Entry entry;
        synchronized (this) {
            entry = byId.get(id);
        }
        return entry == null ? Optional.empty()
                : Optional.of(LeaseCodec.decode(id, entry.tokenAccessor(), entry.dueTime(), entry.body()));
    }

    @Override
    public synchronized void delete(String id) {
        unindex(id, byId.remove(id));
    }

    @Override
    public synchronized List<String> idsWithPrefix(String prefix) {
        List<String> ids = new ArrayList<>();
        for (String id : byId.tailMap(prefix, true).keySet()) {
            if (!id.startsWith(prefix)) {
                break; // sorted: no later ID has the prefix either
            }
            ids.add(id);
        }
        return ids;
    }

    @Override
    public synchronized List<String> idsByToken(String tokenAccessor) {
        TreeSet<String> ids = byToken.get(accessor(tokenAccessor));
        return ids == null ? List.of() : List.copyOf(ids);
    }

    @Override
    public synchronized List<String> dueIds(long nowMillis, int limit) {
        List<String> ids = new ArrayList<>();
        if (limit <= 0) {
            return ids;
        }
        for (Due d : byDueTime) { // earliest first: stop at the first lease not yet due
            if (d.dueTime() > nowMillis || ids.size() == limit) {
                break;
            }
            ids.add(d.id());
        }
        return ids;
    }

    private static Entry entry(Lease lease) {
        return new Entry(lease.dueTime(), accessor(lease.tokenAccessor()), LeaseCodec.encode(lease));
    }

    /** As the clustered store: a lease without a token is indexed under "". */
    private static String accessor(String tokenAccessor) {
        return tokenAccessor == null ? "" : tokenAccessor;
    }

    private void index(String id, Entry entry) {
        byDueTime.add(new Due(entry.dueTime(), id));
        byToken.computeIfAbsent(entry.tokenAccessor(), a -> new TreeSet<>()).add(id);
    }

    private void unindex(String id, Entry entry) {
        if (entry == null) {
            return;
        }
        byDueTime.remove(new Due(entry.dueTime(), id));
        TreeSet<String> ids = byToken.get(entry.tokenAccessor());
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
            byToken.remove(entry.tokenAccessor());
        }
    }
}
