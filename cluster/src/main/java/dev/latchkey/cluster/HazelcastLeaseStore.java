package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseCodec;
import dev.latchkey.engine.lease.LeaseStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link LeaseStore} over a Hazelcast map of {@link LeaseEntry}. The lease is sealed under its ID;
 * only the due time and token accessor are in clear, for the indexes.
 */
final class HazelcastLeaseStore implements LeaseStore {
    private static final Comparator<Map.Entry<String, LeaseEntry>> BY_DUE_TIME =
            Comparator.<Map.Entry<String, LeaseEntry>>comparingLong(e -> e.getValue().dueTime())
                    .thenComparing(Map.Entry::getKey);

    private final IMap<String, LeaseEntry> map;
    private final Barrier barrier;

    HazelcastLeaseStore(IMap<String, LeaseEntry> map, Barrier barrier) {
        this.map = map;
        this.barrier = barrier;
    }

    @Override
    public void put(Lease lease) {
        String accessor = lease.tokenAccessor() == null ? "" : lease.tokenAccessor();
        map.set(lease.id(), new LeaseEntry(lease.dueTime(), accessor, barrier.seal(lease.id(), LeaseCodec.encode(lease))));
    }

    @Override
    public boolean replace(Lease lease) {
        String accessor = lease.tokenAccessor() == null ? "" : lease.tokenAccessor();
        return map.replace(lease.id(),
                new LeaseEntry(lease.dueTime(), accessor, barrier.seal(lease.id(), LeaseCodec.encode(lease)))) != null;
    }

    @Override
    public Optional<Lease> get(String id) {
        LeaseEntry entry = map.get(id);
        return entry == null ? Optional.empty() : Optional.of(LeaseCodec.decode(id, entry.tokenAccessor(),
                entry.dueTime(), barrier.open(id, entry.body())));
    }

    @Override
    public void delete(String id) {
        map.delete(id);
    }

    @Override
    public List<String> idsWithPrefix(String prefix) {
        return sorted(map.keySet(new KeyPrefixPredicate<>(prefix)));
    }

    @Override
    public List<String> idsByToken(String tokenAccessor) {
        return sorted(map.keySet(Predicates.equal(LeaseEntry.TOKEN_ACCESSOR, tokenAccessor)));
    }

    /**
     * Only entries whose partition this member owns ({@code localKeySet}), so each due lease is
     * offered to one member. During a migration a lease may briefly be offered to two members or
     * none: the reaper must claim a lease atomically before acting on it.
     */
    @Override
    public List<String> dueIds(long nowMillis, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Set<String> due = map.localKeySet(Predicates.lessEqual(LeaseEntry.DUE_TIME, nowMillis));
        if (due.isEmpty()) {
            return List.of();
        }
        // The keys are local, so this reads from this member's own partitions.
        return map.getAll(due).entrySet().stream()
                .sorted(BY_DUE_TIME)
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static List<String> sorted(Set<String> ids) {
        List<String> out = new ArrayList<>(ids);
        out.sort(null);
        return out;
    }
}
