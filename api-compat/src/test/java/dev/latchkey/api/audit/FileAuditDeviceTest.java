package dev.latchkey.api.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file device's group writes: every line once and whole, and a failed write reported to each line's writer. */
class FileAuditDeviceTest {
    @TempDir
    Path dir;

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesFromManyThreadsAreEachWrittenOnceAndWhole() throws Exception {
        Path file = dir.resolve("audit.log");
        FileAuditDevice device = new FileAuditDevice(file.toString(), null, "p:");
        int threads = 16;
        int each = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    byte[] l = line("{\"thread\":" + thread + ",\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 300) + "\"}");
                    device.write(l, l.length);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        device.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(threads * each, lines.size());
        Set<String> distinct = new HashSet<>(lines);
        assertEquals(threads * each, distinct.size(), "no line twice");
        for (String l : lines) {
            assertTrue(l.matches("p:\\{\"thread\":\\d+,\"i\":\\d+,\"pad\":\"x*\"}"), "a whole line: " + l);
        }
    }

    @Test
    void aWriteThatFailsIsReportedToTheLinesWriterAndTheNextReopens() throws Exception {
        Path file = dir.resolve("audit.log");
        FileAuditDevice device = new FileAuditDevice(file.toString(), null, "");
        byte[] first = line("{\"n\":1}");
        device.write(first, first.length);
        Files.move(file, dir.resolve("audit.log.1"));
        Files.createDirectories(file); // the path is now a directory: reopening fails
        assertThrows(IOException.class, device::reopen, "SIGHUP's reopen says it failed");
        byte[] second = line("{\"n\":2}");
        assertThrows(IOException.class, () -> device.write(second, second.length));
        Files.delete(file);
        byte[] third = line("{\"n\":3}");
        device.write(third, third.length); // the device opens the file again
        device.close();
        assertEquals(List.of("{\"n\":3}"), Files.readAllLines(file));
        assertEquals(List.of("{\"n\":1}"), Files.readAllLines(dir.resolve("audit.log.1")));
    }
}
