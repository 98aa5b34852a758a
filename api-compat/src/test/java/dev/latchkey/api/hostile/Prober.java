package dev.latchkey.api.hostile;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the hosts' PAM stacks and the load balancer see while an attack runs: every ~50 ms one
 * {@code POST ssh/verify} of a fresh OTP (200, user {@code ubuntu}) and one {@code GET sys/health}
 * (200), on its own keep-alive client with a 5 s timeout each. A probe that fails or times out
 * is a failure; latencies are recorded for the report only.
 */
final class Prober {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration PERIOD = Duration.ofMillis(50);
    static final Duration STOCKING_TIMEOUT = Duration.ofSeconds(30);
    private static final int FAILURES_KEPT = 5;

    /** Stocks OTPs between attacks: patient, as the server may still be busy with the last attack. */
    private final VaultClient stocker;
    /** Creates an OTP during an attack should the stock run out: as impatient as the probes. */
    private final VaultClient admin;
    private final VaultClient probe;
    private final String otpPath;
    private final ConcurrentLinkedQueue<String> otps = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private Thread thread;
    private Run run;

    /**
     * One attack's probes.
     *
     * @param verify   latencies of {@code ssh/verify}
     * @param health   latencies of {@code sys/health}
     * @param failures failed probes
     * @param examples the first few failures, described
     */
    record Report(LatencyStats verify, LatencyStats health, int failures, List<String> examples) {
        String describeFailures() {
            return failures + " probe(s) failed, first: " + String.join("; ", examples);
        }
    }

    private static final class Run {
        final List<Long> verify = Collections.synchronizedList(new ArrayList<>());
        final List<Long> health = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> failures = Collections.synchronizedMap(new LinkedHashMap<>());
        int failed;

        synchronized void fail(String what) {
            failed++;
            if (failures.size() < FAILURES_KEPT || failures.containsKey(what)) {
                failures.merge(what, 1, Integer::sum);
            }
        }
    }

    /**
     * @param port      the server's port
     * @param rootToken to create the OTPs (never sent by the probes themselves)
     * @param otpRole   an OTP role on the {@code ssh} mount for user {@code ubuntu} on 127.0.0.0/8
     */
    Prober(int port, String rootToken, String otpRole) {
        this.stocker = new VaultClient(port, rootToken, STOCKING_TIMEOUT);
        this.admin = new VaultClient(port, rootToken, TIMEOUT);
        this.probe = new VaultClient(port, null, TIMEOUT);
        this.otpPath = "ssh/creds/" + otpRole;
    }

    /** Creates OTPs ahead, so the probes need not (about one per 50 ms of the coming attack). */
    void stock(int count) throws IOException, InterruptedException {
        for (int i = otps.size(); i < count; i++) {
            otps.add(newOtp(stocker));
        }
    }

    private String newOtp(VaultClient client) throws IOException, InterruptedException {
        return client.write(otpPath, "{\"ip\":\"127.0.0.1\"}").json().path("data").path("key").asText();
    }

    void start() {
        run = new Run();
        stopping = false;
        Run r = run;
        thread = new Thread(() -> loop(r), "hostile-prober");
        thread.setDaemon(true);
        thread.start();
    }

    Report stop() throws InterruptedException {
        stopping = true;
        thread.join(TIMEOUT.multipliedBy(3).toMillis());
        Run r = run;
        synchronized (r) {
            List<String> examples = r.failures.entrySet().stream()
                    .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " (×" + e.getValue() + ")")
                    .collect(Collectors.toList());
            return new Report(LatencyStats.ofNanos(new ArrayList<>(r.verify)),
                    LatencyStats.ofNanos(new ArrayList<>(r.health)), r.failed, examples);
        }
    }

    private void loop(Run r) {
        while (!stopping) {
            long start = System.nanoTime();
            verify(r);
            health(r);
            long rest = PERIOD.toNanos() - (System.nanoTime() - start);
            if (rest > 0 && !stopping) {
                try {
                    TimeUnit.NANOSECONDS.sleep(rest);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void verify(Run r) {
        String otp = otps.poll();
        long start = System.nanoTime();
        try {
            if (otp == null) {
                otp = newOtp(admin);
                start = System.nanoTime();
            }
            VaultClient.Answer a = probe.post("ssh/verify", "{\"otp\":\"" + otp + "\"}");
            r.verify.add(System.nanoTime() - start);
            if (a.status() != 200) {
                r.fail("verify answered " + a.describe());
            } else if (!"ubuntu".equals(a.json().path("data").path("username").asText())) {
                r.fail("verify answered 200 without username ubuntu: " + a.describe());
            }
        } catch (HttpTimeoutException e) {
            r.verify.add(System.nanoTime() - start);
            r.fail("verify: no answer within " + RawHttp.seconds(TIMEOUT));
        } catch (IOException | AssertionError e) {
            r.verify.add(System.nanoTime() - start);
            r.fail("verify: " + (e instanceof AssertionError ? e.getMessage() : e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void health(Run r) {
        long start = System.nanoTime();
        try {
            VaultClient.Answer a = probe.get("sys/health");
            r.health.add(System.nanoTime() - start);
            if (a.status() != 200) {
                r.fail("sys/health answered " + a.describe());
            }
        } catch (HttpTimeoutException e) {
            r.health.add(System.nanoTime() - start);
            r.fail("sys/health: no answer within " + RawHttp.seconds(TIMEOUT));
        } catch (IOException e) {
            r.health.add(System.nanoTime() - start);
            r.fail("sys/health: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
