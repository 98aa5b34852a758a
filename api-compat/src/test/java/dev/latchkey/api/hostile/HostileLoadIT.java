package dev.latchkey.api.hostile;

import dev.latchkey.api.testing.JsonText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.latchkey.api.hostile.Attack.BAD_REQUEST;
import static dev.latchkey.api.hostile.Attack.CLIENT_ERROR_OR_CLOSED;
import static dev.latchkey.api.hostile.Attack.CLOSED_IN_TIME;
import static dev.latchkey.api.hostile.Attack.NO_SERVER_ERROR;
import static dev.latchkey.api.hostile.Attack.STAYS_HTTP1;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cheap attacks on the packaged server, each answered cheaply while {@code ssh/verify} (which sits,
 * unauthenticated, in every host's PAM stack) and {@code sys/health} keep answering.
 *
 * <p>One server process serves the whole class, started as an operator would with a 1 GiB heap that
 * exits on running out, and with short connection deadlines (header 3 s, read 5 s, idle 30 s) so
 * that the slow-client attacks finish quickly. A {@link Prober} runs during every attack; each
 * attack adds a row to {@code target/hostile-load.md}. The attacks run cheapest first, so that one
 * that brings the server down hides as little as possible; the ones after it then fail with
 * "server not running". The last test stops the server with SIGTERM.
 *
 * <p>{@code -Dlatchkey.hostile.skip=json-keys,number-bombs} skips the attacks whose names contain
 * one of the given words, to measure the others against a server the skipped ones take down.
 */
@Isolated("one server process, and attacks that need the machine to themselves")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileLoadIT {
    static final Duration READ_HEADER_TIMEOUT = Duration.ofSeconds(3);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Beyond a deadline, how late a close may come: scheduling, and the server's own timer granularity. */
    static final Duration SLACK = Duration.ofSeconds(5);
    /** As {@code scripts/latchkey} runs it (the JDK internals Hazelcast reads), with a 1 GiB heap. */
    static final List<String> SERVER_FLAGS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "-Xmx1g", "-XX:+ExitOnOutOfMemoryError",
            "-Dlatchkey.readHeaderTimeout=" + READ_HEADER_TIMEOUT.toSeconds(),
            "-Dlatchkey.readTimeout=" + READ_TIMEOUT.toSeconds(),
            "-Dlatchkey.idleTimeout=" + IDLE_TIMEOUT.toSeconds());
    static final Duration SIGTERM_GUARD = Duration.ofSeconds(15);
    /** Probing goes on at least this long per attack, so a quick attack's aftermath is seen too. */
    static final Duration MIN_PROBE_WINDOW = Duration.ofSeconds(2);
    static final int OTP_STOCK = 300;
    static final String OTP_ROLE = "otp-probe";
    static final String CA_ROLE = "ca-hostile";

    private ServerProcess server;
    private Prober prober;
    private LoadReport report;
    private Attack.Target target;
    /** The attack after which the server was first found dead. */
    private String killer = "an earlier attack";

    @BeforeAll
    void startServer() throws Exception {
        String jar = System.getProperty("latchkey.jar");
        // Failsafe (mvn verify) builds the jar and names it; a -Dtest pattern can hand this class to
        // surefire, which runs before the jar exists.
        assumeTrue(jar != null, "runs in the integration-test phase, after the jar is packaged");
        Path targetDir = Path.of(jar).toAbsolutePath().getParent();
        server = ServerProcess.start(Path.of(jar), SERVER_FLAGS, "hostile-" + UUID.randomUUID(),
                targetDir.resolve("hostile-server.log"), Duration.ofSeconds(60));
        VaultClient root = new VaultClient(server.port(), server.rootToken(), Duration.ofSeconds(60));
        root.write("sys/mounts/ssh", "{\"type\":\"ssh\"}");
        root.write("ssh/roles/" + OTP_ROLE,
                "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"127.0.0.0/8\"}");
        root.write("ssh/config/ca", "{\"generate_signing_key\":true}");
        root.write("ssh/roles/" + CA_ROLE, "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"allowed_users\":\"*\",\"default_user\":\"ubuntu\"}");
        target = new Attack.Target(server.port(), server.rootToken(), CA_ROLE);
        prober = new Prober(server.port(), server.rootToken(), OTP_ROLE);
        report = new LoadReport(targetDir.resolve("hostile-load.md"), SERVER_FLAGS);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (report != null) {
            System.out.println("[hostile-load] report: " + report.file());
        }
    }

    static final String H2C_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
            + "\0\0\0\4\0\0\0\0\0"; // and an empty SETTINGS frame, as a client's preface has
    static final List<String> NUMBER_BOMBS = List.of("{\"otp\": 1e2000000000}\n", "{\"otp\": 1e2147483647}\n");
    static final Bodies.Body ISSUE_8192 = Bodies.text("{\"key_type\":\"rsa\",\"key_bits\":8192}");

    static String h2cUpgrade(int port) {
        return "GET /v1/sys/health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    }

    /** Four parallel unauthenticated {@code ssh/verify} calls with this body: a 4xx or a close each. */
    static Attack bodyAttack(String name, Bodies.Body body) {
        return new Attack(name, CLIENT_ERROR_OR_CLOSED, (t, o) -> inParallel(4, 1,
                () -> RawHttp.post(t.port(), "/v1/ssh/verify", null, body, Duration.ofSeconds(10)), o));
    }

    /** The attack table, in the order the attacks run. */
    static Stream<Attack> attacks() {
        return Stream.of(
                new Attack("h2c-preface: 10 × prior-knowledge HTTP/2 preface", STAYS_HTTP1,
                        (t, o) -> inParallel(1, 10, () -> RawHttp.exchange(t.port(), H2C_PREFACE, Bodies.empty(),
                                Duration.ofSeconds(3), false), o)),
                new Attack("h2c-upgrade: 10 × HTTP/1.1 Upgrade: h2c", STAYS_HTTP1,
                        (t, o) -> inParallel(1, 10, () -> RawHttp.exchange(t.port(), h2cUpgrade(t.port()),
                                Bodies.empty(), Duration.ofSeconds(3), false), o)),
                new Attack("slow-headers: 1900 connections, a header line every 2 s, never finished", CLOSED_IN_TIME,
                        (t, o) -> SlowClients.run(t.port(), new SlowClients.Plan(1900,
                                "GET /v1/sys/health HTTP/1.1\r\nHost: 127.0.0.1:" + t.port() + "\r\n",
                                i -> "X-Slow-" + i + ": 1\r\n", Duration.ofSeconds(2),
                                READ_HEADER_TIMEOUT.plus(SLACK)), o)),
                new Attack("slow-body: 200 connections, Content-Length 1000000 at 1 byte/s", CLOSED_IN_TIME,
                        (t, o) -> SlowClients.run(t.port(), new SlowClients.Plan(200,
                                RawHttp.postHead(t.port(), "/v1/ssh/verify", null, 1_000_000),
                                i -> " ", Duration.ofSeconds(1), READ_TIMEOUT.plus(SLACK)), o)),
                bodyAttack("deep-nesting: 4 × [[[… 100 000 deep",
                        Bodies.concat(Bodies.repeat("[", 100_000), Bodies.repeat("]", 100_000))),
                bodyAttack("big-string: 4 × {\"otp\":\"<20 MiB>\"}",
                        Bodies.concat(Bodies.text("{\"otp\":\""), Bodies.repeat("a", 20L << 20), Bodies.text("\"}"))),
                bodyAttack("big-array: 4 × {\"otp\":[3 000 000 elements]}",
                        Bodies.concat(Bodies.text("{\"otp\":[0"), Bodies.repeat(",0", 2_999_999), Bodies.text("]}"))),
                new Attack("number-bombs: 1e2000000000 / 1e2147483647, 16 parallel for 5 s", BAD_REQUEST,
                        (t, o) -> {
                            AtomicInteger n = new AtomicInteger();
                            inParallelFor(16, Duration.ofSeconds(5), () -> RawHttp.post(t.port(), "/v1/ssh/verify",
                                    null, Bodies.text(NUMBER_BOMBS.get(n.getAndIncrement() % 2)), Prober.TIMEOUT), o);
                        }),
                new Attack("json-keys: 16 parallel 31 MiB objects of 2.7 M keys", CLIENT_ERROR_OR_CLOSED,
                        (t, o) -> inParallel(16, 1, () -> RawHttp.post(t.port(), "/v1/ssh/verify", null,
                                Bodies.manyKeys(2_700_000), Duration.ofSeconds(15)), o)),
                new Attack("sign-rsa16k: 16 parallel ssh/sign of fresh 16384-bit RSA keys", BAD_REQUEST,
                        (t, o) -> inParallel(16, 1, () -> RawHttp.post(t.port(), "/v1/ssh/sign/" + t.caRole(),
                                t.rootToken(), Bodies.text("{\"public_key\":"
                                        + JsonText.quote(SshRsaKeys.publicKeyLine(16384)) + "}"),
                                Duration.ofSeconds(10)), o)),
                new Attack("issue-rsa8192: 4 parallel ssh/issue key_bits=8192, abandoned after 2 s, probed 8 s",
                        NO_SERVER_ERROR, (t, o) -> {
                            long start = System.nanoTime();
                            inParallel(4, 1, () -> RawHttp.exchange(t.port(), RawHttp.postHead(t.port(),
                                    "/v1/ssh/issue/" + t.caRole(), t.rootToken(), ISSUE_8192.length()), ISSUE_8192,
                                    Duration.ofSeconds(2), true), o);
                            // the server may go on generating the abandoned keys: keep probing meanwhile
                            TimeUnit.NANOSECONDS.sleep(Duration.ofSeconds(8).toNanos() - (System.nanoTime() - start));
                        }),
                new Attack("issue-rsa16k: 8 parallel ssh/issue key_bits=16384", BAD_REQUEST,
                        (t, o) -> inParallel(8, 1, () -> RawHttp.post(t.port(), "/v1/ssh/issue/" + t.caRole(),
                                t.rootToken(), Bodies.text("{\"key_type\":\"rsa\",\"key_bits\":16384}"),
                                Duration.ofSeconds(5)), o)));
    }

    @Test
    @Order(1)
    void baselineWithoutAttack() throws Exception {
        survive(new Attack("baseline: no attack, 3 s", NO_SERVER_ERROR, (t, o) -> TimeUnit.SECONDS.sleep(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    @Order(2)
    void serverShrugsOffAndKeepsVerifying(Attack attack) throws Exception {
        survive(attack);
    }

    @Test
    @Order(3)
    void sigtermStillStopsTheServerWithinSeconds() throws Exception {
        if (!server.isAlive()) {
            report.skipped("SIGTERM", "server not running");
            fail(server.notRunning("during or after " + killer));
        }
        long start = System.nanoTime();
        boolean exited = server.terminate(SIGTERM_GUARD);
        double seconds = (System.nanoTime() - start) / 1e9;
        report.note(exited ? String.format(Locale.ROOT, "SIGTERM after the attacks: exited in %.1f s with code %d",
                seconds, server.exitCode()) : "SIGTERM after the attacks: still running after " + RawHttp.seconds(SIGTERM_GUARD));
        assertTrue(exited, () -> "the server was still running " + RawHttp.seconds(SIGTERM_GUARD)
                + " after SIGTERM; its output ended with:\n" + server.tail());
        assertTrue(server.exitCode() == 0 || server.exitCode() == 143,
                () -> "exit code " + server.exitCode() + " after SIGTERM; output:\n" + server.tail());
    }

    /**
     * Runs the attack with the prober going, reports its row, then checks: the server is alive, it
     * answered every attacking request acceptably, and no probe failed.
     */
    private void survive(Attack attack) throws Exception {
        assumeFalse(skipped(attack.name()), "skipped by -Dlatchkey.hostile.skip");
        if (!server.isAlive()) {
            report.skipped(attack.name(), "server not running");
            fail(server.notRunning("during or after " + killer + ", before this attack began"));
        }
        try {
            prober.stock(OTP_STOCK);
        } catch (Exception | AssertionError e) {
            report.skipped(attack.name(), "server not answering set-up calls");
            fail("server not answering: creating one-time passwords before the attack failed (each call may take "
                    + RawHttp.seconds(Prober.STOCKING_TIMEOUT) + "): " + e
                    + "\nits output ended with:\n" + server.tail());
        }
        Outcomes outcomes = new Outcomes();
        long start = System.nanoTime();
        prober.start();
        Exception attackFailure = null;
        try {
            attack.body().run(target, outcomes);
        } catch (Exception e) {
            attackFailure = e;
        }
        long left = MIN_PROBE_WINDOW.toNanos() - (System.nanoTime() - start);
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
        Prober.Report probes = prober.stop();
        report.add(new LoadReport.Row(attack.name(), outcomes.total(), outcomes.summary(), probes));
        System.out.println("[hostile-load]   outcome details: " + outcomes.details());
        boolean alive = server.isAlive();
        if (!alive) {
            killer = "\"" + attack.name() + "\"";
        }
        List<String> refused = outcomes.unacceptable(attack.expectation());
        Exception failure = attackFailure;
        assertAll(attack.name(),
                () -> assertNull(failure, () -> "the attack itself failed: " + failure),
                () -> assertTrue(alive, () -> alive ? "" : server.notRunning("during this attack")),
                () -> assertTrue(refused.isEmpty(), () -> "expected " + attack.expectation().description()
                        + " for every request or connection, got " + refused),
                () -> assertTrue(probes.verify().count() > 0, "no probe ran"),
                () -> assertTrue(probes.failures() == 0, () -> "while the attack ran, " + probes.describeFailures()));
    }

    private static boolean skipped(String name) {
        String skip = System.getProperty("latchkey.hostile.skip", "");
        return Arrays.stream(skip.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .anyMatch(s -> name.toLowerCase(Locale.ROOT).contains(s.toLowerCase(Locale.ROOT)));
    }

    /** {@code threads} threads each make {@code times} exchanges, one after another. */
    static void inParallel(int threads, int times, Callable<RawHttp.Exchange> exchange, Outcomes outcomes)
            throws Exception {
        run(threads, () -> {
            for (int i = 0; i < times; i++) {
                tally(exchange.call(), outcomes);
            }
            return null;
        });
    }

    /** {@code threads} threads each make exchanges, one after another, until {@code window} has passed. */
    static void inParallelFor(int threads, Duration window, Callable<RawHttp.Exchange> exchange, Outcomes outcomes)
            throws Exception {
        long end = System.nanoTime() + window.toNanos();
        run(threads, () -> {
            RawHttp.Exchange e;
            do {
                e = exchange.call();
                tally(e, outcomes);
            } while (System.nanoTime() < end && !e.label().equals(Outcomes.REFUSED));
            return null;
        });
    }

    private static void tally(RawHttp.Exchange e, Outcomes outcomes) {
        outcomes.add(e);
    }

    /** Every exchange has its own deadline, so the threads end; the join is a last resort. */
    private static void run(int threads, Callable<Void> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hostile-attacker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(work));
            }
            for (Future<Void> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
