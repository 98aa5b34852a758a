package dev.latchkey.testing;

import dev.latchkey.engine.storage.Stages;
import dev.latchkey.engine.storage.Storage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises of {@link Storage}'s javadoc as tests: every implementation runs them by extending
 * this class, so the memory storage (a node on its own, and the engine tests) is held to exactly
 * what the clustered one does.
 */
public abstract class StorageContract {
    /** Keys for the listing rows: a small tree, with the prefix {@code roles/} itself stored as a key. */
    private static final Map<String, List<String>> KEY_SETS = Map.of(
            "tree", List.of("roles/b", "roles/a", "roles/sub/c", "roles/sub/d/e", "roles/", "rolesx/z", "other/q"),
            // characters that are wildcards in SQL LIKE or regular expressions must match only themselves
            "wildcards", List.of("k_/x", "k%/y", "k./z", "k*/w", "ka/v", "kb", "k_a", "k%%", "k.*"));

    /**
     * Keys for the page rows: the prefixes {@code certs/} and {@code certs/sub/} stored as keys; a
     * leaf and a folder of one name ({@code a}, {@code a/}); a leaf on either side of the folder
     * {@code sub/} ({@code sub-x}, {@code sub0}: '-' and '0' are the characters around '/'); and
     * neighbours outside the prefix ({@code certsx/}, {@code certs0/}, {@code cert}).
     */
    private static final List<String> PAGE_KEYS = List.of("certs/", "certs/a", "certs/a/x", "certs/b", "certs/c",
            "certs/sub/", "certs/sub/1", "certs/sub/2", "certs/sub/deep/3", "certs/sub-x", "certs/sub0", "certsx/z",
            "certs0/y", "cert");
    /** Stored and deleted before the page rows run: a cluster's maps keep them as markers, which no listing shows. */
    private static final List<String> PAGE_DELETED = List.of("certs/gone", "certs/sub/0", "certs/sub2/gone");

    /** The storage under test; the same one throughout a test. */
    protected abstract Storage storage();

    /** Each test starts from nothing, also where the storage outlives the test (a cluster member's). */
    @BeforeEach
    protected void emptyStorage() {
        storage().deletePrefix("");
    }

    @Test
    protected void getPutDeletePutIfAbsent() {
        Storage storage = storage();
        assertTrue(storage.get("roles/web").isEmpty());
        storage.put("roles/web", bytes("v1"));
        assertEquals("v1", text(storage.get("roles/web")));
        storage.put("roles/web", bytes("v2"));
        assertEquals("v2", text(storage.get("roles/web")));

        assertFalse(storage.putIfAbsent("roles/web", bytes("v3")));
        assertEquals("v2", text(storage.get("roles/web")));
        assertTrue(storage.putIfAbsent("roles/db", bytes("d1")));
        assertEquals("d1", text(storage.get("roles/db")));

        storage.delete("roles/web");
        storage.delete("roles/never-there");
        assertTrue(storage.get("roles/web").isEmpty());
    }

    @Test
    protected void takeReturnsTheValueOnce() {
        storage().put("otp/abc", bytes("otp-record"));
        assertEquals("otp-record", text(storage().take("otp/abc")));
        assertTrue(storage().take("otp/abc").isEmpty());
        assertTrue(storage().get("otp/abc").isEmpty());
    }

    @Test
    protected void updateCreatesChangesAndDeletes() {
        Storage storage = storage();
        assertArrayEquals(bytes("1"), storage.update("n", cur -> cur == null ? bytes("1") : null));
        assertArrayEquals(bytes("12"), storage.update("n", cur -> bytes(new String(cur, StandardCharsets.UTF_8) + "2")));
        assertEquals("12", text(storage.get("n")));
        assertNull(storage.update("n", cur -> null));
        assertTrue(storage.get("n").isEmpty());
        assertNull(storage.update("absent", cur -> null));
        assertTrue(storage.get("absent").isEmpty());
    }

    @ParameterizedTest(name = "{0}: list(\"{1}\") = [{2}]")
    @CsvSource(delimiter = '|', textBlock = """
            # key set | prefix     | immediate children, in order
            tree      | roles/     | a b sub/
            tree      | roles/sub/ | c d/
            tree      | ''         | other/ roles/ rolesx/
            tree      | role       | s/ sx/
            tree      | nothing/   | ''
            wildcards | k_/        | x
            wildcards | k%/        | y
            wildcards | k./        | z
            wildcards | k*/        | w
            wildcards | k_         | / a
            wildcards | k%         | % /
            """)
    protected void listGivesImmediateChildrenSorted(String keySet, String prefix, String children) {
        KEY_SETS.get(keySet).forEach(key -> storage().put(key, bytes(key)));
        assertEquals(words(children), storage().list(prefix));
    }

    /** Each row through a view of the storage, and then straight on it. */
    @ParameterizedTest(name = "listPage(\"{0}\", \"{1}\", {2}) = [{3}]")
    @CsvSource(delimiter = '|', textBlock = """
            # prefix   | after  | limit | the page
            certs/     | ''     | 100   | a a/ b c sub-x sub/ sub0
            certs/     | ''     | 7     | a a/ b c sub-x sub/ sub0
            certs/     | ''     | 1     | a
            certs/     | ''     | 0     | ''
            certs/     | a      | 2     | a/ b
            certs/     | a/     | 2     | b c
            certs/     | a/b    | 2     | b c
            certs/     | b      | 3     | c sub-x sub/
            certs/     | sub    | 100   | sub-x sub/ sub0
            certs/     | sub-x  | 1     | sub/
            certs/     | sub/   | 100   | sub0
            certs/     | sub/1  | 100   | sub0
            certs/     | sub0   | 100   | ''
            certs/     | zzz    | 100   | ''
            certs/sub/ | ''     | 100   | 1 2 deep/
            certs/sub/ | 1      | 1     | 2
            certs/sub/ | 2      | 1     | deep/
            certs      | ''     | 100   | / 0/ x/
            certs      | /      | 100   | 0/ x/
            ''         | ''     | 100   | cert certs/ certs0/ certsx/
            ''         | cert   | 1     | certs/
            ''         | certs/ | 2     | certs0/ certsx/
            nothing/   | ''     | 100   | ''
            """)
    protected void listPageIsAPageOfTheListing(String prefix, String after, int limit, String page) {
        Storage mount = storage().view("mounts/m/");
        for (Storage storage : List.of(mount, storage())) {
            storage().deletePrefix("");
            PAGE_KEYS.forEach(key -> storage.put(key, bytes(key)));
            PAGE_DELETED.forEach(key -> storage.put(key, bytes(key)));
            PAGE_DELETED.forEach(storage::delete);
            assertEquals(words(page), storage.listPage(prefix, after, limit), "before a listing");
            assertEquals(words(page), storage.list(prefix).stream().filter(c -> c.compareTo(after) > 0).limit(limit)
                    .toList(), "the listing, from after on, cut at the limit");
            assertEquals(words(page), storage.listPage(prefix, after, limit), "after a listing (which a cache may keep)");
        }
    }

    @ParameterizedTest(name = "deletePrefix(\"{0}\") keeps [{1}]")
    @CsvSource(delimiter = '|', textBlock = """
            # prefix | keys left of: a_/1 a_/2/3 ab/1 a%/1 a_
            a_/      | ab/1 a%/1 a_
            a_       | ab/1 a%/1
            a        | ''
            ''       | ''
            b        | a_/1 a_/2/3 ab/1 a%/1 a_
            """)
    protected void deletePrefixRemovesOnlyItsPrefix(String prefix, String left) {
        List<String> keys = List.of("a_/1", "a_/2/3", "ab/1", "a%/1", "a_");
        keys.forEach(key -> storage().put(key, bytes(key)));
        storage().deletePrefix(prefix);
        for (String key : keys) {
            assertEquals(words(left).contains(key), storage().get(key).isPresent(), key);
        }
    }

    @Test
    protected void viewPrefixesEveryKey() {
        Storage storage = storage();
        Storage mount = storage.view("mounts/uuid-1/");
        mount.put("roles/web", bytes("w"));
        mount.put("roles/db/x", bytes("x"));
        assertEquals("w", text(storage.get("mounts/uuid-1/roles/web")));
        assertEquals(List.of("db/", "web"), mount.list("roles/"));
        assertEquals("w", text(mount.take("roles/web")));
        assertTrue(mount.putIfAbsent("otp/h", bytes("o")));
        mount.deletePrefix("roles/");
        assertEquals(List.of("otp/"), mount.list(""));
        assertEquals(List.of("uuid-1/"), storage.list("mounts/"));
    }

    @Test
    protected void concurrentTakesOfOneKeyHaveOneWinner() throws Exception {
        int keys = 200;
        int threads = 16;
        for (int i = 0; i < keys; i++) {
            storage().put("race/" + i, bytes("otp-" + i));
        }
        AtomicIntegerArray winners = new AtomicIntegerArray(keys);
        runAll(threads, () -> {
            for (int i = 0; i < keys; i++) {
                Optional<byte[]> got = storage().take("race/" + i);
                if (got.isPresent()) {
                    assertEquals("otp-" + i, text(got));
                    winners.incrementAndGet(i);
                }
            }
        });
        for (int i = 0; i < keys; i++) {
            assertEquals(1, winners.get(i), "winners for key " + i);
        }
    }

    /** The asynchronous forms keep the synchronous ones' promises, through a view as well. */
    @Test
    protected void asynchronousPutIfAbsentAndTakeKeepTheirPromises() {
        Storage mount = storage().view("mounts/uuid-2/");
        assertTrue(Stages.join(mount.putIfAbsentAsync("otp/h1", bytes("first"))));
        assertFalse(Stages.join(mount.putIfAbsentAsync("otp/h1", bytes("second"))));
        assertEquals("first", text(storage().get("mounts/uuid-2/otp/h1")), "visible to a read once the stage completed");
        assertEquals("first", text(Stages.join(mount.takeAsync("otp/h1"))));
        assertTrue(Stages.join(mount.takeAsync("otp/h1")).isEmpty());
        assertTrue(storage().get("mounts/uuid-2/otp/h1").isEmpty());
        // a key taken (on a cluster: marked consumed) is free for a new value
        assertTrue(Stages.join(mount.putIfAbsentAsync("otp/h1", bytes("third"))));
        assertEquals("third", text(mount.take("otp/h1")));
        assertTrue(Stages.join(mount.takeAsync("otp/never-there")).isEmpty());
    }

    /** Many asynchronous takes of each key, all in flight at once: one of them gets the value. */
    @Test
    protected void concurrentAsynchronousTakesHaveOneWinner() throws Exception {
        int keys = 200;
        int takesPerKey = 8;
        for (int i = 0; i < keys; i++) {
            assertTrue(Stages.join(storage().putIfAbsentAsync("race/" + i, bytes("otp-" + i))));
        }
        AtomicIntegerArray winners = new AtomicIntegerArray(keys);
        runAll(takesPerKey, () -> {
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                int key = i;
                inFlight.add(storage().takeAsync("race/" + i).thenAccept(got -> {
                    if (got.isPresent()) {
                        assertEquals("otp-" + key, text(got));
                        winners.incrementAndGet(key);
                    }
                }).toCompletableFuture());
            }
            inFlight.forEach(CompletableFuture::join);
        });
        for (int i = 0; i < keys; i++) {
            assertEquals(1, winners.get(i), "winners for key " + i);
        }
    }

    @Test
    protected void concurrentUpdatesLoseNoIncrement() throws Exception {
        int threads = 16;
        int perThread = 200;
        runAll(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                storage().update("counter", cur -> {
                    long n = cur == null ? 0 : ByteBuffer.wrap(cur).getLong();
                    return ByteBuffer.allocate(8).putLong(n + 1).array();
                });
            }
        });
        assertEquals(threads * perThread, ByteBuffer.wrap(storage().get("counter").orElseThrow()).getLong());
    }

    /** Runs the task on that many threads at once (they start together) and waits for all of them. */
    private static void runAll(int threads, Runnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Void> started = () -> {
                    go.await();
                    task.run();
                    return null;
                };
                futures.add(pool.submit(started));
            }
            go.countDown();
            for (Future<Void> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> words(String spaceSeparated) {
        return spaceSeparated.isEmpty() ? List.of() : Arrays.asList(spaceSeparated.split(" "));
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(Optional<byte[]> value) {
        return new String(value.orElseThrow(), StandardCharsets.UTF_8);
    }
}
