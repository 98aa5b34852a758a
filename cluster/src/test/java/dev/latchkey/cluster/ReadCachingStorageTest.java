package dev.latchkey.cluster;

import dev.latchkey.engine.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The member-local read cache on two real members: a change made anywhere is seen everywhere, and
 * a cached key is served without going back to the map.
 */
class ReadCachingStorageTest {
    private static final Pattern CACHEABLE = Pattern.compile("cfg/.*");
    private static final Pattern BULK = Pattern.compile("bulk/.*");
    private static List<ClusterNode> nodes;
    private static Storage a;
    private static Storage b;

    @BeforeAll
    static void start() {
        nodes = LocalCluster.start(2);
        a = nodes.get(0).storage(BULK, CACHEABLE);
        b = nodes.get(1).storage(BULK, CACHEABLE);
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ClusterNode::close);
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCachedKeyIsServedFromMemoryUntilItChanges() {
        String key = unique("cfg/");
        a.put(key, bytes("one"));
        // The write's own change event arrives asynchronously and drops the copy once more; once it
        // has, reads keep returning the one cached array.
        LocalCluster.awaitTrue(Duration.ofSeconds(5), () -> a.get(key).orElseThrow() == a.get(key).orElseThrow());
        byte[] first = a.get(key).orElseThrow();
        assertSame(first, a.get(key).orElseThrow(), "reads must come from the cache");
        a.put(key, bytes("two"));
        assertArrayEquals(bytes("two"), a.get(key).orElseThrow(), "a local write drops the cached copy at once");
    }

    @Test
    void aChangeOnAnotherMemberReachesTheCache() {
        String key = unique("cfg/");
        a.put(key, bytes("one"));
        assertArrayEquals(bytes("one"), a.get(key).orElseThrow());
        b.put(key, bytes("two"));
        LocalCluster.awaitTrue(Duration.ofSeconds(5),
                () -> new String(a.get(key).orElseThrow(), StandardCharsets.UTF_8).equals("two"));
        b.delete(key);
        LocalCluster.awaitTrue(Duration.ofSeconds(5), () -> a.get(key).isEmpty());
    }

    @Test
    void anAbsentKeyIsCachedAsAbsentUntilWritten() {
        String key = unique("cfg/");
        assertEquals(Optional.empty(), a.get(key));
        b.put(key, bytes("now"));
        LocalCluster.awaitTrue(Duration.ofSeconds(5), () -> a.get(key).isPresent());
    }

    @Test
    void listsFollowChangesOnEitherMember() {
        String dir = unique("cfg/") + "/";
        a.put(dir + "x", bytes("1"));
        assertEquals(List.of("x"), a.list(dir));
        b.put(dir + "y", bytes("2"));
        LocalCluster.awaitTrue(Duration.ofSeconds(5), () -> a.list(dir).equals(List.of("x", "y")));
        b.deletePrefix(dir);
        LocalCluster.awaitTrue(Duration.ofSeconds(5), () -> a.list(dir).isEmpty());
    }

    @Test
    void keysOutsideThePatternAreNeverCached() {
        String key = unique("otp/");
        a.put(key, bytes("v"));
        assertTrue(a.take(key).isPresent());
        assertTrue(b.get(key).isEmpty());
        nodes.get(1).storage().put(key, bytes("direct"));
        assertArrayEquals(bytes("direct"), a.get(key).orElseThrow(), "uncached keys always read the map");
    }

    @Test
    void readsRacingWritesNeverKeepAStaleValue() throws Exception {
        String key = unique("cfg/");
        a.put(key, bytes("0"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?> readers = pool.submit(() -> {
                for (int i = 0; i < 5_000; i++) {
                    a.get(key);
                }
            });
            for (int i = 1; i <= 300; i++) {
                b.put(key, bytes(Integer.toString(i)));
            }
            readers.get();
        } finally {
            pool.shutdownNow();
        }
        LocalCluster.awaitTrue(Duration.ofSeconds(5),
                () -> new String(a.get(key).orElseThrow(), StandardCharsets.UTF_8).equals("300"));
    }
}
