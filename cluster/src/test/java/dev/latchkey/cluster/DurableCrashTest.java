package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.sqlite.SqliteStore;
import dev.latchkey.engine.random.Randomness;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of a node on {@code file} storage mid-write loses nothing it acknowledged: every
 * value it printed as stored is there after reopening, every take and delete it printed is gone.
 * And the files hold no value in clear.
 */
class DurableCrashTest {
    private static final int ACKNOWLEDGEMENTS_BEFORE_KILL = 4000;

    @Test
    void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
        Path dir = Files.createTempDirectory("latchkey-crash");
        byte[] key = Randomness.bytes(32);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DurableCrashChild.class.getName(),
                dir.toString(), HexFormat.of().formatHex(key))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged.add(line);
                if (acknowledged.size() == ACKNOWLEDGEMENTS_BEFORE_KILL) {
                    // kill -9 itself (destroyForcibly would also close this stream): no shutdown hook, no close
                    new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start().waitFor();
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(acknowledged.size() >= ACKNOWLEDGEMENTS_BEFORE_KILL, "the child wrote " + acknowledged.size());

        Set<String> present = new HashSet<>();
        Set<String> gone = new HashSet<>();
        Set<String> leases = new HashSet<>();
        Set<String> revoked = new HashSet<>();
        for (String line : acknowledged) {
            if (line.length() < 3 || line.charAt(1) != ' ') {
                continue; // a line cut short by the kill
            }
            String what = line.substring(2);
            switch (line.charAt(0)) {
                case 'P' -> present.add(what);
                case 'T' -> {
                    present.remove(what);
                    gone.add(what);
                }
                case 'X' -> present.remove(what); // in flight when killed: may be there or not
                case 'Y' -> leases.remove(what);
                case 'L' -> leases.add(what);
                case 'D' -> {
                    leases.remove(what);
                    revoked.add(what);
                }
                default -> { }
            }
        }

        try (ClusterNode node = ClusterNode.startStandalone(SqliteStore.open(dir), new Barrier(key))) {
            for (String k : present) {
                assertEquals(DurableCrashChild.PLAINTEXT + k,
                        new String(node.storage().get(k).orElseThrow(() -> new AssertionError("lost " + k)), StandardCharsets.UTF_8));
            }
            for (String k : gone) {
                assertTrue(node.storage().get(k).isEmpty(), "a taken value came back: " + k);
            }
            for (String id : leases) {
                assertTrue(node.leaseStore().get(id).isPresent(), "lost lease " + id);
            }
            for (String id : revoked) {
                assertFalse(node.leaseStore().get(id).isPresent(), "a deleted lease came back: " + id);
            }
        }
        assertNoClearText(dir);
    }

    /** No file in the directory holds the marker every value and lease carries. */
    static void assertNoClearText(Path dir) throws IOException {
        byte[] marker = DurableCrashChild.PLAINTEXT.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(contains(Files.readAllBytes(file), marker), file + " holds a value in clear");
            }
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
}
