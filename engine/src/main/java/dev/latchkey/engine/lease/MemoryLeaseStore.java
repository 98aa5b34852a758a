package dev.latchkey.engine.lease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link LeaseStore} in one JVM's memory, for a node on its own, which is responsible for every
 * lease. The leases are split into {@value #SHARDS} shards by ID; one lock per shard guards its
 * leases and their indexes (by request path, by due second, by token accessor), so a query never
 * sees an index that disagrees with the lease it points to, and a query over all leases merges
 * what each shard gives.
 *
 * <p>Why shards: a hash table doubles its array when it fills, rehashing every entry in one step.
 * With one table per index, a million leases of one role and one token are three tables that
 * double on the same write, under the one lock: measured as {@code creds} stalls of 100–250 ms at
 * about 800,000 live leases. A shard's tables hold a {@value #SHARDS}th of the leases, so each
 * doubling is that much shorter, and the shards double at different moments.
 *
 * <p>Every write is a constant number of hash-table steps: a node under {@code creds} load
 * registers a lease per request, and sorted structures over all leases (a tree per index) cost
 * that path a quarter of its CPU in rebalancing and cache misses at a few hundred thousand live
 * leases. Order is made at query time instead, over only what the query returns: IDs by prefix
 * are found through the few request paths that issued them, due IDs through the due seconds in
 * order (a tree of seconds, which gains a node once a second under load, not once a lease).
 *
 * <p>Leases are kept as {@link LeaseCodec} bytes, as a clustered store keeps them: compact (a
 * million live OTPs are a million leases), and a caller can never change a stored lease through
 * a mutable value it put into the internal data.
 */
public final class MemoryLeaseStore implements LeaseStore {
    private static final int SHARDS = 32;
    private static final long BUCKET_MILLIS = 1000;

    /** A lease as stored: the indexed fields, and the rest encoded. */
    private record Entry(long dueTime, String tokenAccessor, byte[] body) {
    }

    /** A due lease as a query sorts it. */
    private record Due(long dueTime, String id) {
    }

    private static final Comparator<Due> DUE_ORDER = Comparator.comparingLong(Due::dueTime).thenComparing(Due::id);

    private final Shard[] shards = new Shard[SHARDS];

    public MemoryLeaseStore() {
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new Shard();
        }
    }

    private Shard shard(String id) {
        int h = id.hashCode();
        return shards[(h ^ (h >>> 16)) & (SHARDS - 1)];
    }

    @Override
    public void put(Lease lease) {
        shard(lease.id()).put(lease);
    }

    @Override
    public boolean replace(Lease lease) {
        return shard(lease.id()).replace(lease);
    }

    @Override
    public Optional<Lease> get(String id) {
        return shard(id).get(id);
    }

    @Override
    public void delete(String id) {
        shard(id).delete(id);
    }

    @Override
    public List<String> idsWithPrefix(String prefix) {
        List<String> ids = new ArrayList<>();
        for (Shard s : shards) {
            s.idsWithPrefix(prefix, ids);
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public List<String> idsByToken(String tokenAccessor) {
        List<String> ids = new ArrayList<>();
        for (Shard s : shards) {
            s.idsByToken(tokenAccessor, ids);
        }
        ids.sort(null);
        return ids;
    }

    /** The earliest {@code limit} of each shard, merged: the earliest {@code limit} of all. */
    @Override
    public List<String> dueIds(long nowMillis, int limit) {
        if (limit <= 0) {
            return new ArrayList<>();
        }
        List<Due> due = new ArrayList<>();
        for (Shard s : shards) {
            s.dueIds(nowMillis, limit, due);
        }
        due.sort(DUE_ORDER);
        List<String> ids = new ArrayList<>(Math.min(limit, due.size()));
        for (int i = 0; i < due.size() && i < limit; i++) {
            ids.add(due.get(i).id());
        }
        return ids;
    }

    /** One shard: the leases whose IDs hash to it, and their indexes, under its lock. */
    private static final class Shard {
        private final Map<String, Entry> byId = new HashMap<>();
        /** IDs by the request path they were issued for (all but the ID's last segment): a few per role. */
        private final Map<String, Set<String>> byPath = new HashMap<>();
        /** IDs by the second their due time falls in, the seconds in order. */
        private final TreeMap<Long, Set<String>> byDueSecond = new TreeMap<>();
        private final Map<String, Set<String>> byToken = new HashMap<>();

        void put(Lease lease) {
            Entry entry = entry(lease);
            synchronized (this) {
                unindex(lease.id(), byId.put(lease.id(), entry));
                index(lease.id(), entry);
            }
        }

        boolean replace(Lease lease) {
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

        Optional<Lease> get(String id) {
            Entry entry;
            synchronized (this) {
                entry = byId.get(id);
            }
            return entry == null ? Optional.empty()
                    : Optional.of(LeaseCodec.decode(id, entry.tokenAccessor(), entry.dueTime(), entry.body()));
        }

        synchronized void delete(String id) {
            Entry old = byId.remove(id);
            if (old != null) {
                byPath.computeIfPresent(path(id), (p, ids) -> ids.remove(id) && ids.isEmpty() ? null : ids);
                unindex(id, old);
            }
        }

        void idsWithPrefix(String prefix, List<String> ids) {
            synchronized (this) {
                for (Map.Entry<String, Set<String>> e : byPath.entrySet()) {
                    String folder = e.getKey().isEmpty() ? "" : e.getKey() + "/";
                    if (folder.startsWith(prefix)) {
                        ids.addAll(e.getValue()); // every ID issued under this path has the prefix
                    } else if (prefix.startsWith(folder)) {
                        for (String id : e.getValue()) { // the prefix reaches into the IDs' last segment
                            if (id.startsWith(prefix)) {
                                ids.add(id);
                            }
                        }
                    }
                }
            }
        }

        synchronized void idsByToken(String tokenAccessor, List<String> ids) {
            Set<String> set = byToken.get(accessor(tokenAccessor));
            if (set != null) {
                ids.addAll(set);
            }
        }

        /** Up to {@code limit} of this shard's due leases, earliest first. */
        synchronized void dueIds(long nowMillis, int limit, List<Due> out) {
            int found = 0;
            // earliest second first; within a second, sorted here: each second's leases come out in order
            for (Set<String> second : byDueSecond.headMap(Math.floorDiv(nowMillis, BUCKET_MILLIS), true).values()) {
                List<Due> due = new ArrayList<>();
                for (String id : second) {
                    long dueTime = byId.get(id).dueTime();
                    if (dueTime <= nowMillis) {
                        due.add(new Due(dueTime, id));
                    }
                }
                due.sort(DUE_ORDER);
                for (Due d : due) {
                    if (found == limit) {
                        return;
                    }
                    out.add(d);
                    found++;
                }
            }
        }

        private static Entry entry(Lease lease) {
            return new Entry(lease.dueTime(), accessor(lease.tokenAccessor()), LeaseCodec.encode(lease));
        }

        /** As the clustered store: a lease without a token is indexed under "". */
        private static String accessor(String tokenAccessor) {
            return tokenAccessor == null ? "" : tokenAccessor;
        }

        /** The request path an ID was issued for: all but its last segment ("" for an ID without one). */
        private static String path(String id) {
            int slash = id.lastIndexOf('/');
            return slash < 0 ? "" : id.substring(0, slash);
        }

        /** Indexes a lease just stored; its path index is kept by put and delete, as a lease's ID never changes. */
        private void index(String id, Entry entry) {
            byPath.computeIfAbsent(path(id), p -> new HashSet<>()).add(id);
            byDueSecond.computeIfAbsent(Math.floorDiv(entry.dueTime(), BUCKET_MILLIS), s -> new HashSet<>()).add(id);
            byToken.computeIfAbsent(entry.tokenAccessor(), a -> new HashSet<>()).add(id);
        }

        /** Removes a lease's due-time and token entries (its path entry stays while the ID is stored). */
        private void unindex(String id, Entry entry) {
            if (entry == null) {
                return;
            }
            Long second = Math.floorDiv(entry.dueTime(), BUCKET_MILLIS);
            Set<String> due = byDueSecond.get(second);
            if (due != null && due.remove(id) && due.isEmpty()) {
                byDueSecond.remove(second);
            }
            Set<String> ids = byToken.get(entry.tokenAccessor());
            if (ids != null && ids.remove(id) && ids.isEmpty()) {
                byToken.remove(entry.tokenAccessor());
            }
        }
    }
}
