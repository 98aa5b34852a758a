package dev.latchkey.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The entries a file audit device writes for the SSH engine's requests, against a running server:
 * Vault's shape, one request and one response entry per request sharing the envelope's
 * {@code request_id}, and every issued secret only as its {@code sys/audit-hash}; and a server whose
 * only device cannot write refusing {@code creds} and {@code verify} without issuing anything.
 */
class AuditEntriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static String device;
    private static Path file;
    private static String mount;

    @BeforeAll
    static void enable() {
        device = "entries-" + UUID.randomUUID().toString().substring(0, 8);
        file = dir.resolve("audit.log");
        json(DevServer.root(), "{\"type\":\"file\",\"options\":{\"file_path\":\"" + file + "\"}}")
                .put("/v1/sys/audit/" + device).then().statusCode(204);
        mount = DevServer.enableSsh("audited");
        Requests.otpRole(mount, "web");
    }

    @AfterAll
    static void disable() {
        DevServer.root().delete("/v1/sys/audit/" + device).then().statusCode(204);
    }

    private static String hash(String value) {
        return json(DevServer.root(), "{\"input\":" + dev.latchkey.api.testing.JsonText.quote(value) + "}")
                .post("/v1/sys/audit-hash/" + device)
                .then().statusCode(200).extract().path("data.hash");
    }

    /** The two entries of the request with this ID. */
    private static List<JsonNode> entries(String requestId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            if (requestId.equals(n.path("request").path("id").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void credsAndVerifyAreRecordedWithTheOtpOnlyHashed() throws Exception {
        Response creds = json(DevServer.root(), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web");
        creds.then().statusCode(200);
        String otp = creds.path("data.key");
        List<JsonNode> pair = entries(creds.path("request_id"));
        assertEquals(2, pair.size(), pair.toString());
        JsonNode request = pair.get(0);
        JsonNode response = pair.get(1);
        assertEquals("request", request.get("type").asText());
        assertEquals("response", response.get("type").asText());
        assertEquals("time", request.fieldNames().next(), "time comes first");
        assertEquals(hash(DevServer.rootToken()), request.at("/auth/client_token").asText());
        assertEquals(hash(DevServer.rootToken()), request.at("/request/client_token").asText());
        assertEquals("update", request.at("/request/operation").asText());
        assertEquals(mount + "/", request.at("/request/mount_point").asText());
        assertEquals("ssh", request.at("/request/mount_type").asText());
        assertEquals(mount + "/creds/web", request.at("/request/path").asText());
        assertEquals(hash("10.0.0.5"), request.at("/request/data/ip").asText());
        assertEquals(hash(otp), response.at("/response/data/key").asText());
        assertEquals(creds.path("lease_id"), response.at("/response/secret/lease_id").asText());
        assertEquals("token", response.at("/auth/display_name").asText()); // the dev root token, made with a chosen ID
        assertThat(Files.readString(file), not(containsString(otp)));
        assertThat(Files.readString(file), not(containsString(DevServer.rootToken())));

        Response good = json(DevServer.anonymous(), "{\"otp\":\"" + otp + "\"}").post("/v1/" + mount + "/verify");
        good.then().statusCode(200);
        List<JsonNode> verified = entries(good.path("request_id"));
        assertEquals(2, verified.size());
        assertEquals(hash(otp), verified.get(0).at("/request/data/otp").asText());
        assertTrue(verified.get(0).path("auth").isMissingNode(), "verify carries no token");
        // a wrong OTP is recorded too, with its error
        json(DevServer.anonymous(), "{\"otp\":\"" + otp + "\"}").post("/v1/" + mount + "/verify").then().statusCode(400);
        String last = Files.readAllLines(file).get(Files.readAllLines(file).size() - 1);
        assertThat(last, containsString("\"error\":\"OTP not found\""));
        assertThat(last, containsString("\"path\":\"" + mount + "/verify\""));
    }

    @Test
    void aTokenAndAPrivateKeyAppearOnlyHashed() throws Exception {
        Response created = json(DevServer.root(), "{\"policies\":[\"default\"]}").post("/v1/auth/token/create");
        String token = created.path("auth.client_token");
        JsonNode response = entries(created.path("request_id")).get(1);
        assertEquals(hash(token), response.at("/response/auth/client_token").asText());
        assertEquals(hash(created.path("auth.accessor")), response.at("/response/auth/accessor").asText());
        assertEquals("token", response.at("/response/mount_type").asText());

        String ca = DevServer.enableSsh("audited-ca");
        Response caMade = json(DevServer.root(), "{\"generate_signing_key\":true,\"key_type\":\"ed25519\"}")
                .post("/v1/" + ca + "/config/ca");
        assertEquals(200, caMade.statusCode(), caMade.asString());
        Requests.role(ca, "any", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        Response issued = json(DevServer.root(), "{\"key_type\":\"ed25519\",\"valid_principals\":\"x\"}")
                .post("/v1/" + ca + "/issue/any");
        assertEquals(200, issued.statusCode(), issued.asString());
        String privateKey = issued.path("data.private_key");
        JsonNode entry = entries(issued.path("request_id")).get(1);
        assertEquals(hash(privateKey), entry.at("/response/data/private_key").asText());
        assertThat(Files.readString(file), not(containsString(token)));
        assertThat(Files.readString(file), not(containsString(privateKey.lines().skip(1).findFirst().orElseThrow())));
        assertNotNull(entry.at("/response/data/signed_key").asText());
    }

    /**
     * With devices enabled and none able to write, a request is refused before it runs (Vault's
     * 500) and nothing is issued. The device here is a Unix socket whose listener goes away.
     */
    @Test
    void noDeviceAbleToWriteMeansNothingIsIssued() throws Exception {
        DevServer.root().delete("/v1/sys/audit/" + device).then().statusCode(204); // the only device will be the socket
        Path socket = dir.resolve("audit-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        String path = "sock-" + UUID.randomUUID().toString().substring(0, 8);
        ServerSocketChannel server = listen(socket);
        try {
            json(DevServer.root(), "{\"type\":\"socket\",\"options\":{\"address\":\"" + socket + "\",\"socket_type\":\"unix\"}}")
                    .put("/v1/sys/audit/" + path).then().statusCode(204);
            int before = leases();
            stop(server);
            Files.deleteIfExists(socket);
            json(DevServer.root(), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web").then().statusCode(500)
                    .body("errors[0]", containsString("internal error"));
            json(DevServer.anonymous(), "{\"otp\":\"made-up\"}").post("/v1/" + mount + "/verify").then().statusCode(500);
            server = listen(socket); // the listener is back: requests run again
            assertEquals(before, leases(), "no lease, so no OTP, was made while nothing could be recorded");
        } finally {
            if (!server.isOpen()) {
                server = listen(socket); // a failure above left no listener: disabling the device needs one
            }
            DevServer.root().delete("/v1/sys/audit/" + path).then().statusCode(204);
            stop(server);
            json(DevServer.root(), "{\"type\":\"file\",\"options\":{\"file_path\":\"" + file + "\"}}")
                    .put("/v1/sys/audit/" + device).then().statusCode(204);
        }
    }

    /** A token with an entity: its entry's auth says which policies came from the token and which from the entity. */
    @Test
    void aTokenWithAnEntityIsDescribedWithItsIdentityPolicies() throws Exception {
        String method = "audited-up-" + UUID.randomUUID().toString().substring(0, 6);
        json(DevServer.root(), "{\"type\":\"userpass\"}").post("/v1/sys/auth/" + method).then().statusCode(204);
        json(DevServer.root(), "{\"password\":\"pw-for-audit\",\"token_policies\":\"default\"}")
                .post("/v1/auth/" + method + "/users/eve").then().statusCode(204);
        String token = json(DevServer.anonymous(), "{\"password\":\"pw-for-audit\"}")
                .post("/v1/auth/" + method + "/login/eve").then().statusCode(200).extract().path("auth.client_token");
        String entity = DevServer.anonymous().header("X-Vault-Token", token).get("/v1/auth/token/lookup-self")
                .then().statusCode(200).extract().path("data.entity_id");
        json(DevServer.root(), "{\"policies\":[\"audited-extra\"]}").post("/v1/identity/entity/id/" + entity)
                .then().statusCode(204);
        Response self = DevServer.anonymous().header("X-Vault-Token", token).get("/v1/auth/token/lookup-self");
        self.then().statusCode(200);
        JsonNode auth = entries(self.path("request_id")).get(0).path("auth");
        assertEquals("[\"audited-extra\"]", auth.path("identity_policies").toString());
        assertEquals("[\"default\"]", auth.path("token_policies").toString());
        assertEquals("[\"audited-extra\",\"default\"]", auth.path("policies").toString());
        assertEquals(entity, auth.path("entity_id").asText());
        DevServer.root().delete("/v1/sys/auth/" + method).then().statusCode(204);
    }

    private static int leases() {
        Response r = DevServer.root().request("LIST", "/v1/sys/leases/lookup/" + mount + "/creds/web/");
        return r.statusCode() == 404 ? 0 : r.jsonPath().getList("data.keys").size();
    }

    private static final List<SocketChannel> ACCEPTED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.Map<ServerSocketChannel, Thread> ACCEPTING = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Closes the listener and every connection it accepted: the device's next write fails. The
     * accepting thread is waited for first, so that a connection it accepted just before the close
     * is in the list and closed too, not left open for the device to keep writing to.
     */
    private static void stop(ServerSocketChannel server) throws Exception {
        server.close();
        Thread accepting = ACCEPTING.remove(server);
        if (accepting != null) {
            accepting.join(10_000);
        }
        for (SocketChannel c : ACCEPTED) {
            c.close();
        }
        ACCEPTED.clear();
    }

    /** A Unix socket listener that accepts and drains connections in the background. */
    private static ServerSocketChannel listen(Path socket) throws Exception {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    ACCEPTED.add(c);
                    Thread drain = new Thread(() -> {
                        try (c) {
                            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8192);
                            while (c.read(b) >= 0) {
                                b.clear();
                            }
                        } catch (Exception ignored) {
                            // the test closed it
                        }
                    });
                    drain.setDaemon(true);
                    drain.start();
                }
            } catch (Exception closed) {
                // the listener was closed
            }
        });
        t.setDaemon(true);
        ACCEPTING.put(server, t);
        t.start();
        return server;
    }
}
