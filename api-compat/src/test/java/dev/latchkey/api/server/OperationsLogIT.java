package dev.latchkey.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.api.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server's logs and audit files as an operator meets them: {@code log_format = "json"}
 * at the most detailed level with no secret in any line, a log line tied to its request by the
 * {@code request_id} the client saw; logrotate's rename and SIGHUP starting a new audit file; and,
 * at {@code info}, a cluster member whose libraries (Hazelcast, Vert.x, Netty) keep quiet.
 */
class OperationsLogIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config(String hcl) throws Exception {
        Path file = dir.resolve("server.hcl");
        Files.writeString(file, hcl);
        return file;
    }

    /** Lines the server prints for people (banner, warnings) rather than as log events. */
    private static boolean bannerLine(String line) {
        return line.isBlank() || line.startsWith("==>") || line.startsWith("WARNING!") || line.matches("\\s+[A-Za-z0-9 ]+: .*");
    }

    @Test
    void jsonLogsCarryNoSecretAndAuditFilesFollowLogrotate() throws Exception {
        int port = ServerProcess.freePort();
        String url = "http://127.0.0.1:" + port;
        Path config = config("""
                storage "inmem" {}
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                log_level  = "trace"
                log_format = "json"
                """.formatted(port));
        Path audit = dir.resolve("audit/audit.log");
        Files.createDirectories(audit.getParent());
        List<String> secrets = new ArrayList<>();
        ServerProcess server = ServerProcess.start(config, url).awaitListening();
        try {
            JsonNode init = server.expect(200, "PUT", "sys/init", null, "{\"secret_shares\":1,\"secret_threshold\":1}").json();
            String root = init.get("root_token").asText();
            String key = init.get("keys_base64").get(0).asText();
            secrets.add(root);
            secrets.add(key);
            secrets.add(init.get("keys").get(0).asText());
            server.unseal(List.of(key));
            server.expect(204, "PUT", "sys/audit/file", root,
                    "{\"type\":\"file\",\"options\":{\"file_path\":\"" + audit + "\"}}");
            server.expect(204, "POST", "sys/mounts/ssh", root, "{\"type\":\"ssh\"}");
            server.expect(204, "POST", "ssh/roles/web", root,
                    "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\"}");
            String otp = server.expect(200, "POST", "ssh/creds/web", root, "{\"ip\":\"10.0.0.5\"}").json()
                    .at("/data/key").asText();
            secrets.add(otp);
            server.expect(200, "POST", "ssh/verify", null, "{\"otp\":\"" + otp + "\"}");
            server.expect(400, "POST", "ssh/verify", null, "{\"otp\":\"" + otp + "\"}");
            server.expect(200, "POST", "ssh/config/ca", root, "{\"generate_signing_key\":true,\"key_type\":\"ed25519\"}");
            server.expect(204, "POST", "ssh/roles/dev", root,
                    "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
            String privateKey = server.expect(200, "POST", "ssh/issue/dev", root,
                    "{\"key_type\":\"ed25519\",\"valid_principals\":\"alice\"}").json().at("/data/private_key").asText();
            secrets.add(privateKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow());
            secrets.add(server.expect(200, "POST", "auth/token/create", root, "{\"policies\":[\"default\"]}").json()
                    .at("/auth/client_token").asText());
            server.expect(204, "POST", "sys/auth/userpass", root, "{\"type\":\"userpass\"}");
            String password = "correct-horse-battery-staple";
            secrets.add(password);
            server.expect(204, "POST", "auth/userpass/users/alice", root, "{\"password\":\"" + password + "\"}");
            secrets.add(server.expect(200, "POST", "auth/userpass/login/alice", null, "{\"password\":\"" + password + "\"}")
                    .json().at("/auth/client_token").asText());

            // logrotate: rename, SIGHUP, and the entries after it land in a new file at the old path
            Path rotated = dir.resolve("audit/audit.log.1");
            Files.move(audit, rotated);
            hangUp(server);
            awaitFile(audit);
            server.expect(200, "GET", "sys/mounts", root, null);
            String before = Files.readString(rotated);
            String after = Files.readString(audit);
            assertTrue(before.contains("\"path\":\"auth/userpass/login/alice\""), "the old file kept what came before");
            assertTrue(after.contains("\"path\":\"sys/mounts\""), "the new file has what came after");
            assertFalse(before.contains("\"path\":\"sys/mounts\""), "nothing after the rename went to the old file");

            // a path the device cannot reopen: the request is refused, and the log line says which request
            Files.move(audit, dir.resolve("audit/audit.log.2"));
            Files.createDirectories(audit);
            hangUp(server);
            ServerProcess.Answer refused = server.call("GET", "sys/mounts", root, null);
            assertEquals(500, refused.status(), refused.body());
            assertTrue(auditFailureLoggedWithRequestId(server), "a warning with the request's ID:\n" + server.output());
            Files.delete(audit);
            hangUp(server);
            awaitFile(audit);
            server.expect(200, "GET", "sys/mounts", root, null);
            for (Path file : List.of(rotated, dir.resolve("audit/audit.log.2"), audit)) {
                String text = Files.readString(file);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "an audit file holds a secret in clear: " + file);
                }
            }
        } finally {
            server.close();
        }
        String output = server.output();
        int events = 0;
        boolean libraries = false;
        for (String line : output.split("\n")) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret in the server's output: " + line);
            }
            if (bannerLine(line)) {
                continue;
            }
            JsonNode event = JSON.readTree(line); // fails on any line that is not one JSON object
            for (String field : List.of("@level", "@message", "@module", "@timestamp")) {
                assertTrue(event.has(field), field + " in " + line);
            }
            events++;
            libraries |= event.get("@module").asText().startsWith("io.netty");
        }
        assertTrue(events > 10, "trace-level events: " + events);
        assertTrue(libraries, "at trace the libraries' detail is shown too");
    }

    /** Whether the server logged the device's failure with a request's ID, as a JSON event. */
    private static boolean auditFailureLoggedWithRequestId(ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String line : server.output().split("\n")) {
                if (line.startsWith("{") && line.contains("could not write an entry")
                        && JSON.readTree(line).path("request_id").asText().matches("[0-9a-f-]{36}")) {
                    return true;
                }
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static void hangUp(ServerProcess server) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int reloads = count(server.output(), "Latchkey reload triggered");
        while (count(server.output(), "Latchkey reload triggered") == reloads && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.isRegularFile(file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.isRegularFile(file), file + " was made again");
    }

    @Test
    void atInfoAClusterMembersLibrariesKeepQuiet() throws Exception {
        int port = ServerProcess.freePort();
        int member = ServerProcess.freePort();
        Path config = config("""
                storage "inmem" {}
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                cluster {
                  name    = "quiet"
                  address = "127.0.0.1:%d"
                  members = ["127.0.0.1:%d"]
                }
                """.formatted(port, member, member));
        try (ServerProcess server = ServerProcess.start(config, "http://127.0.0.1:" + port).awaitListening()) {
            JsonNode init = server.expect(200, "PUT", "sys/init", null, "{\"secret_shares\":1,\"secret_threshold\":1}").json();
            server.unseal(List.of(init.get("keys_base64").get(0).asText()));
            server.expect(200, "GET", "sys/health", null, null);
            for (String line : server.output().split("\n")) {
                if (line.contains("[INFO]") || line.contains("[FINE")) {
                    assertTrue(line.contains(" dev.latchkey."), "a library's chatter at info: " + line);
                }
            }
            assertTrue(server.output().contains("[INFO] dev.latchkey."), "Latchkey's own lines remain");
        }
    }
}
