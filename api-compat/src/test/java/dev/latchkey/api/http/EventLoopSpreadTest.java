package dev.latchkey.api.http;

import dev.latchkey.api.DevOptions;
import dev.latchkey.api.LatchkeyServer;
import dev.latchkey.testing.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A listener's connections are served by every event loop, not by the one a single Vert.x server
 * is tied to: with the HTTP work of all clients on one thread, a node used one core for parsing
 * and writing however many it had. Measured by the CPU time each of the node's event-loop threads
 * spends while several keep-alive connections each send requests.
 */
class EventLoopSpreadTest {
    private static final int CONNECTIONS = 8;
    private static final int REQUESTS_PER_CONNECTION = 500;

    @Test
    void connectionsAreSpreadOverTheEventLoops() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one event loop per core: needs two cores");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadCpuTimeSupported(), "reads per-thread CPU time");
        Set<Long> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
        int port = FreePorts.next();
        try (LatchkeyServer server = LatchkeyServer.startDev(new DevOptions("spread-root", "127.0.0.1", port))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    s.setSoTimeout(10_000);
                    sockets.add(s);
                }
                for (int r = 0; r < REQUESTS_PER_CONNECTION; r++) {
                    for (Socket s : sockets) {
                        assertEquals(200, health(s));
                    }
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            Map<String, Long> cpuByLoop = new HashMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(t.getId()) && t.getName().startsWith("vert.x-eventloop-thread-")) {
                    cpuByLoop.put(t.getName(), threads.getThreadCpuTime(t.getId()));
                }
            }
            long busy = cpuByLoop.values().stream().filter(nanos -> nanos > 5_000_000L).count();
            assertTrue(busy >= 2, "at least two event loops served the " + CONNECTIONS
                    + " connections (CPU ns per event loop: " + cpuByLoop + ")");
        }
    }

    private static int health(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String head = readUntil(in, "\r\n\r\n");
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while (!b.toString().endsWith(end)) {
            c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after: " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
