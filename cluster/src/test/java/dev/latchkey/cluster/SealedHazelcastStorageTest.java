package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storage semantics on the real thing: sealed storage over a dev Hazelcast member. */
class SealedHazelcastStorageTest {
    private static ClusterNode node;
    private static Storage storage;

    @BeforeAll
    static void start() {
        node = ClusterNode.startDev();
        storage = node.storage();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @BeforeEach
    void clear() {
        storage.deletePrefix("");
    }

    @Test
    void getPutDeletePutIfAbsent() {
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
    void takeReturnsTheValueOnce() {
        storage.put("otp/abc", bytes("otp-record"));
        assertEquals("otp-record", text(storage.take("otp/abc")));
        assertTrue(storage.take("otp/abc").isEmpty());
    }

    @Test
    void updateCreatesChangesAndDeletes() {
        assertArrayEquals(bytes("1"), storage.update("n", cur -> cur == null ? bytes("1") : null));
        assertArrayEquals(bytes("12"), storage.update("n", cur -> bytes(new String(cur, StandardCharsets.UTF_8) + "2")));
        assertEquals("12", text(storage.get("n")));
        assertNull(storage.update("n", cur -> null));
        assertTrue(storage.get("n").isEmpty());
        assertNull(storage.update("absent", cur -> null));
    }

    @Test
    void listGivesImmediateChildrenSorted() {
        for (String key : List.of("roles/b", "roles/a", "roles/sub/c", "roles/sub/d/e", "rolesx/z", "other/q")) {
            storage.put(key, bytes(key));
        }
        assertEquals(List.of("a", "b", "sub/"), storage.list("roles/"));
        assertEquals(List.of("c", "d/"), storage.list("roles/sub/"));
        assertEquals(List.of("other/", "roles/", "rolesx/"), storage.list(""));
        assertEquals(List.of(), storage.list("nothing/"));
    }

    @Test
    void listTreatsWildcardCharactersLiterally() {
        for (String key : List.of("k_/x", "k%/y", "k./z", "k*/w", "ka/v", "kb", "k_a", "k%%", "k.*")) {
            storage.put(key, bytes(key));
        }
        assertEquals(List.of("x"), storage.list("k_/"));
        assertEquals(List.of("y"), storage.list("k%/"));
        assertEquals(List.of("z"), storage.list("k./"));
        assertEquals(List.of("w"), storage.list("k*/"));
        assertEquals(List.of("/", "a"), storage.list("k_"));
        assertEquals(List.of("%", "/"), storage.list("k%"));
    }

    @Test
    void deletePrefixRemovesOnlyItsPrefix() {
        for (String key : List.of("a_/1", "a_/2/3", "ab/1", "a%/1", "a_")) {
            storage.put(key, bytes(key));
        }
        storage.deletePrefix("a_/");
        assertTrue(storage.get("a_/1").isEmpty());
        assertTrue(storage.get("a_/2/3").isEmpty());
        assertEquals("ab/1", text(storage.get("ab/1")));
        assertEquals("a%/1", text(storage.get("a%/1")));
        assertEquals("a_", text(storage.get("a_")));
    }

    @Test
    void viewPrefixesEveryKey() {
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
    void valuesAreSealedInsideHazelcast() {
        String secret = "s3cr3t-" + UUID.randomUUID();
        storage.put("roles/sealed", bytes(secret));
        IMap<String, byte[]> raw = node.hazelcast().getMap(MemberConfigs.KV_MAP);
        byte[] stored = raw.get("roles/sealed");
        assertFalse(contains(stored, bytes(secret)), "plaintext found in the map");
        assertFalse(contains(stored, bytes(secret.substring(7))), "plaintext found in the map");
        assertEquals(secret, text(storage.get("roles/sealed")));

        // The same sealed bytes under another key do not open.
        raw.set("roles/moved", stored);
        assertThrows(BarrierException.class, () -> storage.get("roles/moved"));
    }

    @Test
    void concurrentTakesOfOneKeyHaveOneWinner() throws Exception {
        int keys = 200;
        int threads = 16;
        for (int i = 0; i < keys; i++) {
            storage.put("race/" + i, bytes("otp-" + i));
        }
        AtomicIntegerArray winners = new AtomicIntegerArray(keys);
        CountDownLatch go = new CountDownLatch(1);
        runAll(threads, () -> {
            go.await();
            for (int i = 0; i < keys; i++) {
                Optional<byte[]> got = storage.take("race/" + i);
                if (got.isPresent()) {
                    assertEquals("otp-" + i, text(got));
                    winners.incrementAndGet(i);
                }
            }
            return null;
        }, go);
        for (int i = 0; i < keys; i++) {
            assertEquals(1, winners.get(i), "winners for key " + i);
        }
    }

    @Test
    void concurrentUpdatesLoseNoIncrement() throws Exception {
        int threads = 16;
        int perThread = 200;
        CountDownLatch go = new CountDownLatch(1);
        runAll(threads, () -> {
            go.await();
            for (int i = 0; i < perThread; i++) {
                storage.update("counter", cur -> {
                    long n = cur == null ? 0 : ByteBuffer.wrap(cur).getLong();
                    return ByteBuffer.allocate(8).putLong(n + 1).array();
                });
            }
            return null;
        }, go);
        assertEquals(threads * perThread, ByteBuffer.wrap(storage.get("counter").orElseThrow()).getLong());
    }

    @Test
    void nodeBasics() {
        assertDoesNotThrow(() -> UUID.fromString(node.clusterId()));
        assertTrue(node.clusterName().startsWith("latchkey-dev-"));
        assertEquals("127.0.0.1", node.hazelcast().getCluster().getLocalMember().getAddress().getHost());
        ClusterNode other = ClusterNode.startDev();
        try {
            assertEquals(1, other.hazelcast().getCluster().getMembers().size(), "dev members never join");
            assertFalse(other.clusterId().equals(node.clusterId()));
        } finally {
            other.close();
            other.close(); // closing twice is fine
        }
        assertFalse(other.hazelcast().getLifecycleService().isRunning());
    }

    private static void runAll(int threads, Callable<Void> task, CountDownLatch go) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(task));
            }
            go.countDown();
            for (Future<Void> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<byte[]> value) {
        return new String(value.orElseThrow(), StandardCharsets.UTF_8);
    }
}
