package dev.latchkey.api.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.api.testing.ServerProcess;
import dev.latchkey.testing.Commands;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scripts/cluster 2} as the README shows it: two nodes up, initialised and unsealed, the
 * address and root token it prints working, and every node gone after Ctrl-C (SIGINT).
 */
class ClusterScriptIT {
    @TempDir
    Path dir;

    @Test
    void theScriptStartsAnUnsealedClusterAndStopsItOnCtrlC() throws Exception {
        ServerProcess.jar(); // the launcher reuses the packaged jar
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("scripts/cluster");
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(script.toString(), "2", "--dir", dir.resolve("nodes").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.readString(out).contains("Ctrl-C stops every node")) {
                assertTrue(p.isAlive() && System.nanoTime() < deadline, () -> "the script did not bring the cluster up: "
                        + read(out));
                Thread.sleep(250);
            }
            Matcher m = Pattern.compile("export VAULT_ADDR=(\\S+) VAULT_TOKEN=(\\S+)").matcher(Files.readString(out));
            assertTrue(m.find(), read(out));
            HttpResponse<String> ha = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(m.group(1) + "/v1/sys/ha-status")).header("X-Vault-Token", m.group(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ha.statusCode(), ha.body());
            JsonNode nodes = new ObjectMapper().readTree(ha.body()).get("data").get("nodes");
            assertEquals(2, nodes.size(), ha.body());

            Commands.run(Duration.ofSeconds(10), "kill", "-INT", Long.toString(p.pid())).ok();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script stops after Ctrl-C");
            for (JsonNode n : nodes) {
                String api = n.get("api_address").asText();
                assertTrue(refused(api), "node " + api + " is gone");
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean refused(String url) throws InterruptedException {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/v1/sys/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
