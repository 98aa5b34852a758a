package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link LeaseStore} over a Hazelcast map of {@link LeaseEntry}. The lease is sealed under its ID,
 * its due time and token accessor included; those two are also kept in clear, for the indexes.
 *
 * <p>A clear field that disagrees with the sealed body was edited by someone who reached the map
 * without the barrier key. Every read checks, and the sealed values win. Such an edit also hides
 * the lease from the queries that would have found it (a due time pushed into the future escapes
 * the reaper; a changed accessor escapes its token's revocation, which may already have run), so
 * a tampered lease is made due at once, to be revoked by the reaper: ending it is the one answer
 * that is safe whatever was edited. And because a hidden lease is never read by those queries,
 * {@link #dueIds} also walks this member's leases a slice at a time, reading each one.
 */
final class HazelcastLeaseStore implements LeaseStore {
    private static final Logger LOG = Logger.getLogger(HazelcastLeaseStore.class.getName());
    private static final Comparator<Map.Entry<String, LeaseEntry>> BY_DUE_TIME =
            Comparator.<Map.Entry<String, LeaseEntry>>comparingLong(e -> e.getValue().dueTime())
                    .thenComparing(Map.Entry::getKey);
    /** Leases the audit reads per step, at most one step per interval: a low, steady load. */
    private static final int AUDIT_BATCH = 1000;
    private static final long AUDIT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Held only for a read and a write; the bound frees the key if this member hangs meanwhile. */
    private static final long REPAIR_LOCK_SECONDS = 10;

    private final IMap<String, LeaseEntry> map;
    private final Barrier barrier;
    private final LongSupplier clock;
    private final AtomicLong nextAuditAt = new AtomicLong(System.nanoTime());
    /** Where the audit's walk is: the slice it reads next, of how many. Guarded by this. */
    private int auditSlice;
    private int auditSlices = 1;

    HazelcastLeaseStore(IMap<String, LeaseEntry> map, Barrier barrier, LongSupplier clockMillis) {
        this.map = map;
        this.barrier = barrier;
        this.clock = clockMillis;
    }

    @Override
    public void put(Lease lease) {
        map.set(lease.id(), entry(lease));
    }

    @Override
    public CompletionStage<Void> putAsync(Lease lease) {
        return HazelcastStorage.completion(map.setAsync(lease.id(), entry(lease)));
    }

    @Override
    public boolean replace(Lease lease) {
        return map.replace(lease.id(), entry(lease)) != null;
    }

    @Override
    public Optional<Lease> get(String id) {
        LeaseEntry entry = map.get(id);
        return entry == null ? Optional.empty() : Optional.of(verified(id, entry));
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
     * none: the reaper must claim a lease atomically before acting on it. Runs a step of the
     * audit first, at most once a second, so that the reaper, which calls this every second,
     * carries it.
     */
    @Override
    public List<String> dueIds(long nowMillis, int limit) {
        long now = System.nanoTime();
        long due = nextAuditAt.get();
        if (now - due >= 0 && nextAuditAt.compareAndSet(due, now + AUDIT_INTERVAL_NANOS)) {
            auditStep();
        }
        if (limit <= 0) {
            return List.of();
        }
        Set<String> ids = map.localKeySet(Predicates.lessEqual(LeaseEntry.DUE_TIME, nowMillis));
        if (ids.isEmpty()) {
            return List.of();
        }
        // The keys are local, so this reads from this member's own partitions.
        return map.getAll(ids).entrySet().stream()
                .sorted(BY_DUE_TIME)
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Reads the leases of one slice of this member's partitions and checks each; a full pass takes
     * as many steps as there are slices, about one per {@value #AUDIT_BATCH} leases. Returns how
     * many tampered leases it found.
     */
    synchronized int auditStep() {
        if (auditSlice == 0) {
            long owned = map.getLocalMapStats().getOwnedEntryCount();
            auditSlices = (int) Math.min(Integer.MAX_VALUE, owned / AUDIT_BATCH + 1);
        }
        Set<String> ids = map.localKeySet(new KeySlicePredicate<>(auditSlice, auditSlices));
        auditSlice = (auditSlice + 1) % auditSlices;
        int tampered = 0;
        for (Map.Entry<String, LeaseEntry> e : map.getAll(ids).entrySet()) {
            try {
                if (isTampered(e.getKey(), e.getValue())) {
                    verified(e.getKey(), e.getValue());
                    tampered++;
                }
            } catch (RuntimeException unreadable) {
                LOG.log(Level.SEVERE, "lease {0} cannot be read: {1}", new Object[] {e.getKey(), unreadable.getMessage()});
            }
        }
        return tampered;
    }

    /** Runs audit steps until one full pass over this member's leases is done: tests. */
    synchronized int auditAll() {
        int tampered = auditStep();
        while (auditSlice != 0) {
            tampered += auditStep();
        }
        return tampered;
    }

    private boolean isTampered(String id, LeaseEntry entry) {
        return !consistent(open(id, entry), entry);
    }

    /**
     * The lease as sealed. If the clear fields disagree, it is logged (no values: the accessor is
     * a credential's handle), and the entry is rewritten from the sealed values, due now.
     */
    private Lease verified(String id, LeaseEntry entry) {
        Lease sealed = open(id, entry);
        if (consistent(sealed, entry)) {
            return sealed;
        }
        LOG.log(Level.SEVERE, "lease {0} was tampered with: its {1} in the lease map differs from its sealed copy; "
                + "using the sealed values and revoking the lease", new Object[] {id,
                sealed.dueTime() != entry.dueTime() ? "due time" : "token accessor"});
        // Under the key's lock, which every write to the key waits for, and on a fresh read: a
        // compare-and-set against what was read would compare serialized bytes, and an entry
        // written by another serializer (a client's generic record) never matches them.
        map.lock(id, REPAIR_LOCK_SECONDS, TimeUnit.SECONDS);
        try {
            LeaseEntry current = map.get(id);
            if (current == null) {
                return sealed;
            }
            Lease stored = open(id, current);
            if (consistent(stored, current)) {
                return stored;
            }
            Lease dueNow = new Lease(stored.id(), stored.mountUuid(), stored.secretType(), stored.internalData(),
                    stored.tokenAccessor(), stored.issueTime(), stored.expireTime(), stored.lastRenewal(),
                    stored.renewable(), stored.revokeAttempts(), stored.lastError(),
                    Math.min(stored.dueTime(), clock.getAsLong()));
            map.set(id, entry(dueNow));
            return dueNow;
        } finally {
            map.unlock(id);
        }
    }

    private static boolean consistent(Lease sealed, LeaseEntry entry) {
        return sealed.dueTime() == entry.dueTime() && sealed.tokenAccessor().equals(entry.tokenAccessor());
    }

    private LeaseEntry entry(Lease lease) {
        String accessor = lease.tokenAccessor() == null ? "" : lease.tokenAccessor();
        return new LeaseEntry(lease.dueTime(), accessor, LeaseSeal.seal(barrier, lease));
    }

    private Lease open(String id, LeaseEntry entry) {
        return LeaseSeal.open(barrier, id, entry.body());
    }

    private static List<String> sorted(Set<String> ids) {
        List<String> out = new ArrayList<>(ids);
        out.sort(null);
        return out;
    }
}
