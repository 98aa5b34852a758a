package dev.latchkey.api;

import dev.latchkey.testing.Commands;
import dev.latchkey.testing.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged server as a user runs it: {@code java -jar latchkey.jar server -dev ...} in its own
 * process, serving HTTP, and stopping cleanly on SIGTERM.
 */
class LauncherIT {

    @Test
    void devServerPrintsItsBannerServesAndStopsOnSigterm() throws Exception {
        int port = FreePorts.next();
        String jar = System.getProperty("latchkey.jar");
        // Failsafe (mvn verify) builds the jar and names it; a -Dtest pattern can also hand this
        // class to surefire, which runs before the jar exists.
        assumeTrue(jar != null, "runs in the integration-test phase, after the jar is packaged");
        Process p = new ProcessBuilder("java", "-jar", jar, "server", "-dev", "-dev-root-token-id=launcher-root",
                "-dev-listen-address=127.0.0.1:" + port).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("Root Token:")) {
                    break;
                }
            }
            assertTrue(lines.contains("Root Token: launcher-root"), () -> "banner was: " + lines);
            assertTrue(lines.stream().anyMatch(l -> l.contains("export VAULT_ADDR='http://127.0.0.1:" + port + "'")));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/sys/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"initialized\":true"));
            HttpResponse<String> mounts = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/sys/mounts"))
                    .header("X-Vault-Token", "launcher-root").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, mounts.statusCode());
            assertTrue(!mounts.body().contains("\"ssh/\""), "like Vault, dev mode mounts nothing at ssh/");

            // SIGTERM, as a service manager sends it (Process.destroy would also close our end of the pipes)
            assertEquals(0, Commands.run(Duration.ofSeconds(10), "kill", "-TERM", Long.toString(p.pid())).exitCode());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "server did not stop within 30 s of SIGTERM");
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } finally {
            p.destroyForcibly();
        }
        assertTrue(lines.contains("==> Latchkey shutdown triggered"), () -> "output: " + lines);
        assertTrue(p.exitValue() == 0 || p.exitValue() == 143, "exit code " + p.exitValue());
    }

}
