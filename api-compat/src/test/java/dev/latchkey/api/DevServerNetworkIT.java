package dev.latchkey.api;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What another process on the host can reach of the packaged dev server: its HTTP port and
 * nothing else. It runs no Hazelcast member, so neither Hazelcast's client nor a member that
 * presents the {@code cluster_name} that {@code sys/health} tells anyone finds any data. The
 * sockets are read from {@code /proc} (Linux), so the check is the kernel's, not the server's.
 */
class DevServerNetworkIT {
    /** Hazelcast's default member ports, where a member would have bound (5701, and on). */
    private static final List<String> HAZELCAST_PORTS =
            IntStream.rangeClosed(5701, 5710).mapToObj(p -> "127.0.0.1:" + p).toList();
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    /** {@code st} of a listening TCP socket in {@code /proc/net/tcp}. */
    private static final String TCP_LISTEN = "0A";

    private static Process server;
    private static int port;

    @BeforeAll
    static void startPackagedServer() throws Exception {
        String jar = System.getProperty("latchkey.jar");
        // Failsafe (mvn verify) builds the jar and names it; a -Dtest pattern can also hand this
        // class to surefire, which runs before the jar exists.
        assumeTrue(jar != null, "runs in the integration-test phase, after the jar is packaged");
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "reads sockets from Linux's /proc");
        port = FreePorts.next();
        server = new ProcessBuilder("java", "-jar", jar, "server", "-dev", "-dev-root-token-id=network-root",
                "-dev-listen-address=127.0.0.1:" + port).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            lines.add(line);
            if (line.startsWith("Root Token:")) {
                break;
            }
        }
        assertTrue(lines.contains("Root Token: network-root"), () -> "banner was: " + lines);
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "dev-server-output");
        drain.setDaemon(true); // keeps the pipe from filling up while the tests run
        drain.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            Commands.run(Duration.ofSeconds(10), "kill", "-TERM", Long.toString(server.pid()));
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** After a request has been served, so anything opened lazily would be open by now. */
    @Test
    void theOnlyPortItListensOnIsHttp() throws Exception {
        assertEquals(200, get("/v1/sys/health").statusCode());
        Set<String> sockets = socketInodes(server.pid());
        assertTrue(!sockets.isEmpty(), "the process's sockets are visible in /proc");
        assertEquals(List.of("127.0.0.1:" + port), listening(server.pid(), sockets, "tcp", "tcp6"),
                "TCP sockets in LISTEN");
        assertEquals(List.of(), bound(server.pid(), sockets, "udp", "udp6"), "UDP sockets");
    }

    /** Even with the advertised name, Hazelcast's own client finds nothing to connect to, within seconds. */
    @Test
    void theHazelcastClientFindsNothing() {
        ClientConfig config = new ClientConfig().setClusterName(advertisedClusterName());
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getNetworkConfig().setConnectionTimeout(1000).setAddresses(HAZELCAST_PORTS);
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3000);
        long started = System.nanoTime();
        assertThrows(IllegalStateException.class, () -> HazelcastClient.newHazelcastClient(config).shutdown());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "gave up within seconds");
    }

    /** A member that looks for the dev server under the advertised name forms a cluster of its own, empty. */
    @Test
    void aMemberWithTheAdvertisedNameIsAloneAndSeesNoData() {
        Config config = new Config().setClusterName(advertisedClusterName());
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.max.join.seconds", "5");
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig().setPort(0).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(HAZELCAST_PORTS);
        HazelcastInstance intruder = Hazelcast.newHazelcastInstance(config);
        try {
            assertEquals(1, intruder.getCluster().getMembers().size(), "the intruder is alone");
            for (String map : List.of("latchkey-kv", "latchkey-bulk", "latchkey-leases", "latchkey-meta")) {
                assertEquals(0, intruder.getMap(map).size(), map);
            }
        } finally {
            intruder.shutdown();
        }
    }

    private static String advertisedClusterName() {
        try {
            String body = get("/v1/sys/health").body();
            Matcher name = Pattern.compile("\"cluster_name\":\"(vault-cluster-[0-9a-f]{8})\"").matcher(body);
            assertTrue(name.find(), "sys/health names the cluster: " + body);
            return name.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(String path) throws IOException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The inodes of the sockets the process holds open: its fds that link to {@code socket:[inode]}. */
    private static Set<String> socketInodes(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(DevServerNetworkIT::linkTarget)
                    .map(SOCKET_LINK::matcher).filter(Matcher::matches).map(m -> m.group(1))
                    .collect(Collectors.toSet());
        }
    }

    private static String linkTarget(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
            return "";
        }
    }

    /**
     * The local addresses of the process's TCP sockets in LISTEN. The tables list every socket of
     * the network namespace, so only the process's own inodes count.
     */
    private static List<String> listening(long pid, Set<String> inodes, String... tables) throws IOException {
        return sockets(pid, inodes, tables).stream().filter(row -> row[3].equals(TCP_LISTEN))
                .map(row -> address(row[1])).sorted().toList();
    }

    /** The local addresses of the process's UDP sockets, bound or not. */
    private static List<String> bound(long pid, Set<String> inodes, String... tables) throws IOException {
        return sockets(pid, inodes, tables).stream().map(row -> address(row[1])).sorted().toList();
    }

    /** Rows of {@code /proc/<pid>/net/<table>} (fields split on blanks) whose inode is one of the process's. */
    private static List<String[]> sockets(long pid, Set<String> inodes, String... tables) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String table : tables) {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
            for (String line : lines.subList(1, lines.size())) { // the first line is the header
                String[] row = line.trim().split("\\s+");
                if (inodes.contains(row[9])) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /**
     * {@code 0100007F:1F90} is 127.0.0.1:8080: the address is in the kernel's byte order, which on
     * little-endian machines reverses each 32-bit word (IPv6 addresses are four of them).
     */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        byte[] raw = HexFormat.of().parseHex(parts[0]);
        byte[] ip = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                ip[word + i] = raw[word + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(ip).getHostAddress() + ":" + Integer.parseInt(parts[1], 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
