package dev.latchkey.api.audit;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@code sys/audit} and {@code sys/audit-hash} against a running server, with file and socket devices. */
class AuditDevicesTest {
    @TempDir
    static Path dir;

    private static String fresh(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Response enable(String path, String body) {
        return json(DevServer.root(), body).put("/v1/sys/audit/" + path);
    }

    @Test
    void aFileDeviceIsEnabledListedHashedAndDisabled() throws Exception {
        String path = fresh("file");
        Path file = dir.resolve("logs/" + path + ".log");
        // the body `vault audit enable -path=… file file_path=…` sends
        enable(path, "{\"type\":\"file\",\"description\":\"\",\"options\":{\"file_path\":\"" + file + "\"},\"local\":false}")
                .then().statusCode(204);
        DevServer.root().get("/v1/sys/audit").then().statusCode(200)
                .body("data.'" + path + "/'.type", equalTo("file"))
                .body("data.'" + path + "/'.options.file_path", equalTo(file.toString()))
                .body("data.'" + path + "/'.path", equalTo(path + "/"))
                .body("'" + path + "/'.type", equalTo("file"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertThat(Files.readAllLines(file).get(0), containsString("\"path\":\"sys/audit/test\""));

        String hash = json(DevServer.root(), "{\"input\":\"hvs.some-token\"}").post("/v1/sys/audit-hash/" + path)
                .then().statusCode(200).body("hash", matchesPattern("hmac-sha256:[0-9a-f]{64}"))
                .extract().path("data.hash");
        assertEquals(hash, json(DevServer.root(), "{\"input\":\"hvs.some-token\"}").post("/v1/sys/audit-hash/" + path)
                .then().extract().path("data.hash"));
        String other = fresh("file");
        enable(other, "{\"type\":\"file\",\"options\":{\"file_path\":\"discard\"}}").then().statusCode(204);
        assertNotEquals(hash, json(DevServer.root(), "{\"input\":\"hvs.some-token\"}").post("/v1/sys/audit-hash/" + other)
                .then().statusCode(200).extract().path("data.hash"), "each device has its own salt");
        json(DevServer.root(), "{\"input\":\"\"}").post("/v1/sys/audit-hash/" + path).then().statusCode(400)
                .body("errors", contains("the \"input\" parameter is empty"));
        json(DevServer.root(), "{\"input\":\"x\"}").post("/v1/sys/audit-hash/nope").then().statusCode(400)
                .body("errors", contains("unknown audit backend \"nope/\""));

        DevServer.root().delete("/v1/sys/audit/" + path).then().statusCode(204);
        DevServer.root().delete("/v1/sys/audit/" + other).then().statusCode(204);
        DevServer.root().get("/v1/sys/audit").then().statusCode(200)
                .body("data", not(org.hamcrest.Matchers.hasKey(path + "/")));
        DevServer.root().delete("/v1/sys/audit/never-there").then().statusCode(204);
    }

    @Test
    void badDevicesAreRefusedAndNothingIsEnabled() {
        String path = fresh("bad");
        List<String[]> rows = List.of(
                new String[] {"{\"type\":\"syslogx\"}", "unknown backend type: \"syslogx\""},
                new String[] {"{\"type\":\"file\",\"options\":{}}", "file_path is required"},
                new String[] {"{\"type\":\"file\",\"options\":{\"file_path\":\"discard\",\"mode\":\"0755\"}}",
                        "invalid mode \"0755\": audit files may not be executable"},
                new String[] {"{\"type\":\"file\",\"options\":{\"file_path\":\"discard\",\"log_raw\":\"yes\"}}",
                        "invalid log_raw: strconv.ParseBool: parsing \"yes\": invalid syntax"},
                new String[] {"{\"type\":\"file\",\"options\":{\"file_path\":\"discard\",\"format\":\"xml\"}}",
                        "unknown format type \"xml\""},
                new String[] {"{\"type\":\"file\",\"options\":{\"file_path\":\"/proc/latchkey-cannot-write-here\"}}", null});
        for (String[] row : rows) {
            Response r = enable(path, row[0]);
            assertEquals(400, r.statusCode(), row[0] + ": " + r.asString());
            if (row[1] != null) {
                r.then().body("errors", contains(row[1]));
            } else {
                r.then().body("errors[0]", containsString("audit backend failed test message"));
            }
        }
        DevServer.root().get("/v1/sys/audit").then().statusCode(200)
                .body("data", not(org.hamcrest.Matchers.hasKey(path + "/")));
        String outer = fresh("outer");
        enable(outer, "{\"type\":\"file\",\"options\":{\"file_path\":\"discard\"}}").then().statusCode(204);
        enable(outer + "/inner", "{\"type\":\"file\",\"options\":{\"file_path\":\"discard\"}}").then().statusCode(400)
                .body("errors", contains("path already in use"));
        DevServer.root().delete("/v1/sys/audit/" + outer).then().statusCode(204);
    }

    @Test
    void aSocketDeviceSendsItsLinesToTheListener() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept()) {
                    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String path = fresh("socket");
            enable(path, "{\"type\":\"socket\",\"options\":{\"address\":\"127.0.0.1:" + listener.getLocalPort()
                    + "\",\"socket_type\":\"tcp\"}}").then().statusCode(204);
            assertThat(first.get(30, TimeUnit.SECONDS), containsString("\"path\":\"sys/audit/test\""));
            DevServer.root().delete("/v1/sys/audit/" + path).then().statusCode(204);
        }
    }

    /**
     * A socket device beside a file device: for one request the listener receives the lines the
     * file holds, the same but for the hashes, which each device makes with its own salt.
     */
    @Test
    void aSocketDeviceReceivesTheLinesAFileDeviceWrites() throws Exception {
        String mount = dev.latchkey.api.testing.DevServer.enableSsh("socket-and-file");
        dev.latchkey.api.testing.Requests.otpRole(mount, "web");
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> {
                try (Socket s = listener.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        received.add(line);
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            reader.setDaemon(true);
            reader.start();
            String socket = fresh("socket");
            String file = fresh("file");
            Path log = dir.resolve(file + ".log");
            enable(socket, "{\"type\":\"socket\",\"options\":{\"address\":\"127.0.0.1:" + listener.getLocalPort()
                    + "\"}}").then().statusCode(204);
            enable(file, "{\"type\":\"file\",\"options\":{\"file_path\":\"" + log + "\"}}").then().statusCode(204);
            try {
                Response creds = json(DevServer.root(), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web");
                creds.then().statusCode(200);
                String id = creds.path("request_id");
                List<String> fromSocket = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (fromSocket.size() < 2 && System.nanoTime() < deadline) {
                    String line = received.poll(100, TimeUnit.MILLISECONDS);
                    if (line != null && line.contains("\"id\":\"" + id + "\"")) {
                        fromSocket.add(line);
                    }
                }
                List<String> fromFile = Files.readAllLines(log).stream().filter(l -> l.contains("\"id\":\"" + id + "\"")).toList();
                assertEquals(2, fromFile.size());
                assertEquals(unsalted(fromFile), unsalted(fromSocket));
                assertNotEquals(fromFile, fromSocket, "each device hashes with its own salt");
            } finally {
                DevServer.root().delete("/v1/sys/audit/" + socket).then().statusCode(204);
                DevServer.root().delete("/v1/sys/audit/" + file).then().statusCode(204);
            }
        }
    }

    private static List<String> unsalted(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("hmac-sha256:[0-9a-f]{64}", "hmac-sha256:*")).toList();
    }

    /** Audit paths need sudo, as Vault's do; the hash does not. */
    @Test
    void auditPathsNeedSudo() {
        String policy = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"policy\":\"path \\\"sys/audit*\\\" { capabilities = [\\\"read\\\",\\\"update\\\"] }\"}")
                .put("/v1/sys/policies/acl/" + policy).then().statusCode(204);
        String token = json(DevServer.root(), "{\"policies\":[\"" + policy + "\"]}").post("/v1/auth/token/create")
                .then().statusCode(200).extract().path("auth.client_token");
        DevServer.anonymous().header("X-Vault-Token", token).get("/v1/sys/audit").then().statusCode(403);
    }
}
