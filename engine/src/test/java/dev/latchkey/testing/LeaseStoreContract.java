package dev.latchkey.testing;

import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.storage.Stages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises of {@link LeaseStore}'s javadoc as tests: every implementation runs them by
 * extending this class, so a node on its own keeps its leases exactly as a cluster does.
 */
public abstract class LeaseStoreContract {
    protected static final long NOW = 1_700_000_000_000L;

    /** Leases for the query rows: ID, token accessor, due time relative to {@link #NOW}. */
    private static final List<Lease> QUERY_LEASES = List.of(
            lease("ssh/creds/web/late", "acc-1", NOW + 1),
            lease("ssh/creds/web/c", "acc-1", NOW),
            lease("ssh/creds/web/a", "acc-2", NOW - 100),
            lease("ssh/creds/web/b", "acc-1", NOW - 50),
            lease("ssh/creds/web/b2", "", NOW - 50),
            lease("ssh/creds/db/far", "acc-2", NOW + 86_400_000),
            lease("ssh_other/creds/x/1", "", NOW - 50));

    private LeaseStore store;

    /** A store holding no leases, also where the store outlives the test (a cluster member's). */
    protected abstract LeaseStore emptyStore();

    @BeforeEach
    protected void empty() {
        store = emptyStore();
    }

    /** A lease due at {@code dueTime} (also its expiry), issued a minute before, with one internal field. */
    public static Lease lease(String id, String tokenAccessor, long dueTime) {
        return new Lease(id, "mount-uuid-1", "secret_otp_type", Map.of("otp_hash", "hash-of-" + id),
                tokenAccessor, dueTime - 60_000, dueTime, 0, true, 0, "", dueTime);
    }

    @Test
    protected void putGetDelete() {
        Lease lease = lease("ssh/creds/web/abc", "acc-1", NOW);
        store.put(lease);
        assertEquals(lease, store.get(lease.id()).orElseThrow());

        Lease renewed = lease.renewed(NOW, NOW + 3_600_000);
        store.put(renewed);
        assertEquals(renewed, store.get(lease.id()).orElseThrow());

        store.delete(lease.id());
        assertTrue(store.get(lease.id()).isEmpty());
        store.delete(lease.id()); // absent: no error
    }

    /** A lease stored asynchronously is there, indexed, once its stage completes; and then replaceable. */
    @Test
    protected void putAsyncStoresAndIndexes() {
        Lease lease = lease("ssh/creds/web/async", "acc-async", NOW);
        Stages.join(store.putAsync(lease));
        assertEquals(lease, store.get(lease.id()).orElseThrow());
        assertEquals(List.of(lease.id()), store.idsByToken("acc-async"));
        assertTrue(store.dueIds(NOW, 100).contains(lease.id()));
        Lease renewed = lease.renewed(NOW, NOW + 3_600_000);
        assertTrue(store.replace(renewed));
        assertEquals(renewed, store.get(lease.id()).orElseThrow());
        store.delete(lease.id());
        assertTrue(store.get(lease.id()).isEmpty());
    }

    /** A late "revocation failed" record must not bring back a lease revoked meanwhile. */
    @Test
    protected void replaceOnlyTouchesALeaseThatStillExists() {
        Lease lease = lease("ssh/creds/web/gone", "acc-1", NOW);
        assertFalse(store.replace(lease));
        assertTrue(store.get(lease.id()).isEmpty());
        assertEquals(List.of(), store.dueIds(NOW, 10), "a failed replace indexes nothing");
        assertEquals(List.of(), store.idsByToken("acc-1"));

        store.put(lease);
        Lease failed = lease.failedRevocation("host down", NOW + 1000);
        assertTrue(store.replace(failed));
        assertEquals(failed, store.get(lease.id()).orElseThrow());
        assertEquals(List.of(), store.dueIds(NOW, 10));
        assertEquals(List.of(lease.id()), store.dueIds(NOW + 1000, 10));

        store.delete(lease.id());
        assertFalse(store.replace(failed));
        assertTrue(store.get(lease.id()).isEmpty());
        assertEquals(List.of(), store.dueIds(NOW + 1000, 10));
    }

    @ParameterizedTest(name = "due at NOW{0}, limit {1}")
    @CsvSource(delimiter = '|', textBlock = """
            +0        | 10 | ssh/creds/web/a ssh/creds/web/b ssh/creds/web/b2 ssh_other/creds/x/1 ssh/creds/web/c
            +0        | 2  | ssh/creds/web/a ssh/creds/web/b
            +0        | 3  | ssh/creds/web/a ssh/creds/web/b ssh/creds/web/b2
            +0        | 0  |
            +0        | -1 |
            +1        | 10 | ssh/creds/web/a ssh/creds/web/b ssh/creds/web/b2 ssh_other/creds/x/1 ssh/creds/web/c ssh/creds/web/late
            -100      | 10 | ssh/creds/web/a
            -101      | 10 |
            +86400000 | 7  | ssh/creds/web/a ssh/creds/web/b ssh/creds/web/b2 ssh_other/creds/x/1 ssh/creds/web/c ssh/creds/web/late ssh/creds/db/far
            """)
    protected void dueIdsAreTheDueOnesEarliestFirstTiesByIdCapped(long offset, int limit, String expected) {
        QUERY_LEASES.forEach(store::put);
        assertEquals(ids(expected), store.dueIds(NOW + offset, limit));
    }

    @ParameterizedTest(name = "token {0}")
    @CsvSource(delimiter = '|', textBlock = """
            acc-1   | ssh/creds/web/b ssh/creds/web/c ssh/creds/web/late
            acc-2   | ssh/creds/db/far ssh/creds/web/a
            ''      | ssh/creds/web/b2 ssh_other/creds/x/1
            acc-3   |
            acc     |
            """)
    protected void idsByTokenAreSorted(String accessor, String expected) {
        QUERY_LEASES.forEach(store::put);
        assertEquals(ids(expected), store.idsByToken(accessor));
    }

    @ParameterizedTest(name = "prefix {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ssh/             | ssh/creds/db/far ssh/creds/web/a ssh/creds/web/b ssh/creds/web/b2 ssh/creds/web/c ssh/creds/web/late
            ssh/creds/web/b  | ssh/creds/web/b ssh/creds/web/b2
            ssh_             | ssh_other/creds/x/1
            ssh/creds/db/    | ssh/creds/db/far
            ''               | ssh/creds/db/far ssh/creds/web/a ssh/creds/web/b ssh/creds/web/b2 ssh/creds/web/c ssh/creds/web/late ssh_other/creds/x/1
            ssh/creds/none/  |
            """)
    protected void idsWithPrefixAreSortedAtAllDepths(String prefix, String expected) {
        QUERY_LEASES.forEach(store::put);
        assertEquals(ids(expected), store.idsWithPrefix(prefix));
    }

    /** Overwriting a lease moves it in both indexes: no query finds it under its old values. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            put     | true
            replace | false
            """)
    protected void theIndexesFollowEveryWrite(String how, boolean byPut) {
        Lease lease = lease("ssh/creds/web/moved", "acc-1", NOW);
        store.put(lease);
        Lease moved = new Lease(lease.id(), lease.mountUuid(), lease.secretType(), lease.internalData(), "acc-2",
                lease.issueTime(), lease.expireTime(), 0, true, 1, "host down", NOW + 5000);
        if (byPut) {
            store.put(moved);
        } else {
            assertTrue(store.replace(moved));
        }
        assertEquals(moved, store.get(lease.id()).orElseThrow());
        assertEquals(List.of(), store.idsByToken("acc-1"));
        assertEquals(List.of(lease.id()), store.idsByToken("acc-2"));
        assertEquals(List.of(), store.dueIds(NOW + 4999, 10));
        assertEquals(List.of(lease.id()), store.dueIds(NOW + 5000, 10));

        store.delete(lease.id());
        assertEquals(List.of(), store.idsByToken("acc-2"));
        assertEquals(List.of(), store.dueIds(Long.MAX_VALUE, 10));
        assertEquals(List.of(), store.idsWithPrefix(""));
    }

    /**
     * Writers on many threads, each on leases of its own and racing a deleter on the same IDs:
     * afterwards every query agrees with what is stored, and no replace brought back a deleted lease.
     */
    @Test
    protected void concurrentWritersLeaveTheIndexesConsistent() throws Exception {
        int threads = 8;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Lease lease = lease("ssh/creds/t" + thread + "/" + i, "acc-" + thread, NOW + i);
                        store.put(lease);
                        store.replace(lease.failedRevocation("retry", NOW + perThread + i));
                    }
                    return null;
                });
                work.add(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i += 2) { // the even ones, whenever they exist
                        String id = "ssh/creds/t" + thread + "/" + i;
                        while (store.get(id).isEmpty()) {
                            Thread.onSpinWait();
                        }
                        store.delete(id);
                    }
                    return null;
                });
            }
            List<Future<Void>> done = work.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Void> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> stored = store.idsWithPrefix("ssh/creds/t");
        for (String id : stored) {
            int i = Integer.parseInt(id.substring(id.lastIndexOf('/') + 1));
            assertEquals(1, i % 2, "a deleted lease came back: " + id);
            Lease lease = store.get(id).orElseThrow();
            assertEquals(NOW + perThread + i, lease.dueTime(), id);
            assertTrue(store.idsByToken(lease.tokenAccessor()).contains(id), id);
        }
        assertEquals(threads * perThread / 2, stored.size());
        List<String> due = store.dueIds(Long.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(stored.stream().sorted().toList(), due.stream().sorted().toList());
        int tokens = IntStream.range(0, threads).map(t -> store.idsByToken("acc-" + t).size()).sum();
        assertEquals(stored.size(), tokens);
    }

    private static List<String> ids(String spaceSeparated) {
        return spaceSeparated == null || spaceSeparated.isBlank() ? List.of()
                : Arrays.asList(spaceSeparated.trim().split("\\s+"));
    }
}
