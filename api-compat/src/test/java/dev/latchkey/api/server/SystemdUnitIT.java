package dev.latchkey.api.server;

import dev.latchkey.testing.Commands;
import dev.latchkey.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code docs/latchkey.service} as systemd would use it: {@code systemd-analyze verify} accepts it,
 * and its own {@code ExecStart}, {@code ExecReload} and stop signal, run here with the jar and a
 * configuration in a temporary directory in place of the installed paths, start the node, reload
 * it and stop it within {@code TimeoutStopSec}.
 */
class SystemdUnitIT {
    private static final Path UNIT = Path.of("..", "docs", "latchkey.service");

    @TempDir
    Path dir;

    @Test
    void systemdAcceptsTheUnit() {
        Commands.Result r = Commands.run(Duration.ofSeconds(60), "systemd-analyze", "verify", UNIT.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("", r.stderr().strip(), r.describe());
    }

    @Test
    void theUnitsCommandsStartReloadAndStopTheNode() throws Exception {
        String jar = System.getProperty("latchkey.jar");
        assumeTrue(jar != null, "runs in the integration-test phase, after the jar is packaged");
        Map<String, String> service = service();
        int port = FreePorts.next();
        Path config = Files.writeString(dir.resolve("server.hcl"), """
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                storage "file" {
                  path = "%s"
                }
                pid_file = "%s"
                """.formatted(port, dir.resolve("data"), dir.resolve("latchkey.pid")));
        List<String> start = Arrays.stream(service.get("ExecStart").split(" "))
                .map(a -> a.replace("/opt/latchkey/latchkey.jar", jar).replace("/etc/latchkey/server.hcl", config.toString()))
                .toList();
        assertTrue(start.contains(jar) && start.contains("-config=" + config), "the unit runs the jar with a config: " + start);
        Path log = dir.resolve("out.log");
        Process p = new ProcessBuilder(start).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/sys/seal-status")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertTrue(r.body().contains("\"sealed\":true"), r.body());
                    break;
                } catch (IOException e) {
                    assertTrue(p.isAlive() && System.nanoTime() < deadline, () -> "the node did not start: " + read(log));
                    Thread.sleep(100);
                }
            }
            String reload = service.get("ExecReload").replace("$MAINPID", Long.toString(p.pid()));
            Commands.run(Duration.ofSeconds(30), List.of("sh", "-c", reload)).ok();
            long reloaded = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!read(log).contains("TLS certificates reloaded")) {
                assertTrue(System.nanoTime() < reloaded, () -> "no reload: " + read(log));
                Thread.sleep(100);
            }
            assertEquals("SIGTERM", service.get("KillSignal"));
        } finally {
            p.destroy(); // SIGTERM, the unit's KillSignal
        }
        long stopSeconds = Long.parseLong(service.get("TimeoutStopSec"));
        assertTrue(p.waitFor(stopSeconds, TimeUnit.SECONDS), "stopped within TimeoutStopSec: " + read(log));
        assertTrue(Files.notExists(dir.resolve("latchkey.pid")), "the pid file is gone");
    }

    /** The [Service] section's settings (the last of each name wins, as in systemd). */
    private static Map<String, String> service() throws IOException {
        boolean[] inService = {false};
        return Files.readAllLines(UNIT).stream()
                .map(String::strip)
                .filter(l -> {
                    if (l.startsWith("[")) {
                        inService[0] = l.equals("[Service]");
                        return false;
                    }
                    return inService[0] && !l.isEmpty() && !l.startsWith("#") && l.contains("=");
                })
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
