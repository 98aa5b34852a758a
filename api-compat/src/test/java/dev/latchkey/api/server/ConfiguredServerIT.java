package dev.latchkey.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.FreePorts;
import dev.latchkey.testing.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code latchkey server -config=…} as an operator runs it: the packaged jar in its own process,
 * a configuration file with a plain and a TLS listener (certificates made by openssl), started
 * sealed; {@code sys/init}, two of three key shares, the SSH engine over TLS, {@code sys/seal} and
 * 503, SIGHUP swapping the certificate, the pid file, SIGTERM. And start-up errors that name the
 * file, the line and the fix.
 */
class ConfiguredServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OPENSSL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aConfiguredServerStartsSealedInitialisesUnsealsServesTlsAndReloadsItsCertificate() throws Exception {
        String jar = jar();
        Path ca = makeCa();
        serverCertificate(ca);
        int plain = freePort();
        int tls = freePort();
        Path pid = dir.resolve("latchkey.pid");
        String hcl = """
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                listener "tcp" {
                  address       = "127.0.0.1:%d"
                  tls_cert_file = "%s"
                  tls_key_file  = "%s"
                }
                storage "inmem" {}
                api_addr  = "https://127.0.0.1:%d"
                pid_file  = "%s"
                ui        = true
                log_level = "%s"
                """;
        Object[] values = {plain, tls, dir.resolve("server.pem"), dir.resolve("server.key"), tls, pid, "warn"};
        Path config = write("server.hcl", hcl.formatted(values));
        Process p = new ProcessBuilder("java", "-jar", jar, "server", "-config=" + config)
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        try {
            waitFor(() -> Files.exists(pid) && output().contains("Latchkey server started"), "the server to start");
            assertEquals(p.pid(), Long.parseLong(Files.readString(pid).strip()), "pid_file holds the process id");
            assertTrue(output().contains("configuration keys Latchkey does not use were ignored: ui"), output());
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5)).build();
            String plainUrl = "http://127.0.0.1:" + plain;
            String tlsUrl = "https://127.0.0.1:" + tls;

            assertEquals(501, call(http, "GET", plainUrl + "/v1/sys/health", null, null).status(), "uninitialised");
            JsonNode init = call(http, "PUT", tlsUrl + "/v1/sys/init", null,
                    "{\"secret_shares\":3,\"secret_threshold\":2}").json();
            String root = init.get("root_token").asText();
            assertEquals(3, init.get("keys").size());
            assertEquals(503, call(http, "GET", tlsUrl + "/v1/sys/mounts", root, null).status(), "sealed");
            JsonNode first = call(http, "PUT", tlsUrl + "/v1/sys/unseal", null,
                    "{\"key\":\"" + init.get("keys").get(0).asText() + "\"}").json();
            assertEquals(1, first.get("progress").asInt());
            JsonNode second = call(http, "PUT", tlsUrl + "/v1/sys/unseal", null,
                    "{\"key\":\"" + init.get("keys_base64").get(2).asText() + "\"}").json();
            assertFalse(second.get("sealed").asBoolean());

            assertEquals(204, call(http, "POST", tlsUrl + "/v1/sys/mounts/ssh", root, "{\"type\":\"ssh\"}").status());
            assertEquals(204, call(http, "POST", tlsUrl + "/v1/ssh/roles/web", root,
                    "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\"}").status());
            String otp = call(http, "POST", tlsUrl + "/v1/ssh/creds/web", root, "{\"ip\":\"10.0.0.5\"}").json()
                    .get("data").get("key").asText();
            assertEquals("ubuntu", call(http, "POST", plainUrl + "/v1/ssh/verify", null, "{\"otp\":\"" + otp + "\"}")
                    .json().get("data").get("username").asText());

            // the TLS stacks Vault's own clients run on connect with verification on: Go's (the vault CLI,
            // vault-ssh-helper with its ca_cert) and Python's ssl (hvac, through requests)
            String helperOtp = call(http, "POST", tlsUrl + "/v1/ssh/creds/web", root, "{\"ip\":\"10.0.0.5\"}").json()
                    .get("data").get("key").asText();
            String verified = vaultClient("go", tlsUrl, ca, null, "PUT", "ssh/verify",
                    "{\"otp\":\"" + helperOtp + "\"}").ok().stdout();
            assertTrue(verified.startsWith("200 TLS1.3 ") && verified.contains("\"username\":\"ubuntu\""), verified);
            String status = vaultClient("python", tlsUrl, ca, null, "GET", "sys/seal-status", null).ok().stdout();
            assertTrue(status.startsWith("200 TLS1.3 ") && status.contains("\"sealed\":false"), status);
            Commands.Result unknownCa = vaultClient("go", tlsUrl, null, null, "GET", "sys/health", null);
            assertTrue(unknownCa.exitCode() != 0 && unknownCa.stderr().contains("certificate signed by unknown authority"),
                    unknownCa.describe());
            Commands.Result wrongName = vaultClient("python", "https://localhost:" + tls, ca, null, "GET",
                    "sys/health", null);
            assertTrue(wrongName.exitCode() != 0 && wrongName.stderr().contains("CERTIFICATE_VERIFY_FAILED"),
                    wrongName.describe());

            // TLS 1.1 is refused; 1.2 and 1.3 are served with the configured chain
            assertNotEquals(0, sClient(tls, ca, "-tls1_1").exitCode());
            String before = serial(sClient(tls, ca, "-tls1_2").ok().stdout());
            assertEquals(before, serial(sClient(tls, ca, "-tls1_3").ok().stdout()));

            assertFalse(output().contains("security barrier initialized"), "log_level warn hides info lines");

            // a new certificate in the same files and log_level info in the config, then SIGHUP
            serverCertificate(ca);
            values[values.length - 1] = "info";
            write("server.hcl", hcl.formatted(values));
            Commands.run(OPENSSL, "kill", "-HUP", Long.toString(p.pid())).ok();
            waitFor(() -> output().contains("TLS certificates reloaded"), "the reload");
            assertTrue(output().contains("Log level is info"), output());
            String after = serial(sClient(tls, ca, "-tls1_3").ok().stdout());
            assertNotEquals(before, after, "a new connection sees the new certificate");

            assertEquals(204, call(http, "PUT", tlsUrl + "/v1/sys/seal", root, null).status());
            waitFor(() -> output().contains("vault is sealed"), "the info line of the seal, at the reloaded level");
            HttpResult sealed = call(http, "GET", tlsUrl + "/v1/ssh/roles/web", root, null);
            assertEquals(503, sealed.status());
            assertEquals("{\"errors\":[\"Vault is sealed\"]}", sealed.body().strip());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "SIGTERM stops the server");
        }
        assertFalse(Files.exists(pid), "the pid file is removed on the way out");
    }

    /**
     * kill -9 of a node on durable storage while clients mint and redeem OTPs: after a restart and
     * unseal, every OTP whose {@code creds} was answered and that was not redeemed verifies exactly
     * once, every redeemed one is refused, the role and the leases are back, an OTP whose lease ran
     * out while the node was down is refused, and nothing secret lies in the data directory or the
     * table in clear.
     */
    @ParameterizedTest(name = "storage \"{0}\"")
    @ValueSource(strings = {"file", "postgresql"})
    void aNodeKilledMidLoadLosesNothingItAcknowledged(String storage) throws Exception {
        String jar = jar();
        int port = freePort();
        Path data = dir.resolve("data");
        String table = LocalPostgres.freshTable();
        String stanza = storage.equals("file")
                ? "storage \"file\" {\n  path = \"" + data + "\"\n}"
                : "storage \"postgresql\" {\n  connection_url = \"" + LocalPostgres.url() + "\"\n  table = \"" + table + "\"\n}";
        Path config = write("server.hcl", """
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                %s
                """.formatted(port, stanza));
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Process first = start(jar, config, "first.log");
        JsonNode init;
        List<String> redeemed = new ArrayList<>();
        List<String> outstanding = new ArrayList<>();
        String shortLived;
        String root;
        String caKey;
        try {
            waitForHttp(http, url, first, "first.log");
            init = call(http, "PUT", url + "/v1/sys/init", null, "{\"secret_shares\":3,\"secret_threshold\":2}").json();
            root = init.get("root_token").asText();
            unseal(http, url, init);
            assertEquals(204, call(http, "POST", url + "/v1/sys/mounts/ssh", root, "{\"type\":\"ssh\"}").status());
            assertEquals(204, call(http, "POST", url + "/v1/sys/mounts/ssh-short", root,
                    "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":\"2s\"}}").status());
            for (String mount : List.of("ssh", "ssh-short")) {
                assertEquals(204, call(http, "POST", url + "/v1/" + mount + "/roles/web", root,
                        "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\"}").status());
            }
            shortLived = creds(http, url, root, "ssh-short");
            // a CA key the test knows, so that the data can be searched for it
            Commands.run(OPENSSL, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "",
                    "-f", dir.resolve("ca").toString()).ok();
            caKey = Files.readString(dir.resolve("ca"));
            assertEquals(204, call(http, "POST", url + "/v1/ssh/config/ca", root, JSON.writeValueAsString(Map.of(
                    "private_key", caKey, "public_key", Files.readString(dir.resolve("ca.pub"))))).status());
            // clients at work: OTPs minted from several threads, every other one redeemed at once
            List<Thread> clients = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 25; i++) {
                        try {
                            String otp = creds(http, url, root, "ssh");
                            if (i % 2 == 0) {
                                assertEquals(200, call(http, "POST", url + "/v1/ssh/verify", null,
                                        "{\"otp\":\"" + otp + "\"}").status());
                                synchronized (redeemed) {
                                    redeemed.add(otp);
                                }
                            } else {
                                synchronized (outstanding) {
                                    outstanding.add(otp);
                                }
                            }
                        } catch (Throwable e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                            return;
                        }
                    }
                });
                clients.add(t);
                t.start();
            }
            for (Thread t : clients) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "clients failed: " + failures + "\n" + read("first.log"));
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            first.waitFor(20, TimeUnit.SECONDS);
        }
        assertEquals(48, outstanding.size(), "4 clients × 12 odd-numbered OTPs");
        Thread.sleep(2500); // the short-lived OTP's lease ends while the node is down

        List<byte[]> stored = new ArrayList<>(storage.equals("file") ? files(data) : rows(table));
        assertFalse(stored.isEmpty(), "something was stored");
        stored.add(Files.readAllBytes(dir.resolve("first.log"))); // and the server's own log
        // the CA key's base64 body, one line of it: whatever the encoding around it, it would show
        String caKeyLine = caKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        for (byte[] bytes : stored) {
            for (String secret : List.of(outstanding.get(0), redeemed.get(0), root, init.get("keys").get(0).asText(),
                    init.get("keys_base64").get(1).asText(), caKeyLine)) {
                assertFalse(contains(bytes, secret.getBytes(StandardCharsets.UTF_8)), "a secret in clear in " + storage);
            }
        }

        Process second = start(jar, config, "second.log");
        try {
            waitForHttp(http, url, second, "second.log");
            assertEquals(503, call(http, "GET", url + "/v1/sys/health", null, null).status(), "sealed after restart");
            unseal(http, url, init);
            for (String otp : redeemed) {
                assertEquals(400, call(http, "POST", url + "/v1/ssh/verify", null, "{\"otp\":\"" + otp + "\"}").status(),
                        "a redeemed OTP stays redeemed");
            }
            for (String otp : outstanding) {
                assertEquals(200, call(http, "POST", url + "/v1/ssh/verify", null, "{\"otp\":\"" + otp + "\"}").status(),
                        "an acknowledged OTP survives the kill");
                assertEquals(400, call(http, "POST", url + "/v1/ssh/verify", null, "{\"otp\":\"" + otp + "\"}").status());
            }
            assertEquals(400, call(http, "POST", url + "/v1/ssh/verify", null, "{\"otp\":\"" + shortLived + "\"}").status(),
                    "an OTP whose lease ended while the node was down is refused");
            assertEquals("ubuntu", call(http, "GET", url + "/v1/ssh/roles/web", root, null).json()
                    .get("data").get("default_user").asText());
            JsonNode leases = call(http, "LIST", url + "/v1/sys/leases/lookup/ssh/creds/web/", root, null).json();
            // the outstanding OTPs' leases at least (a redeemed OTP's lease may end with its redemption)
            assertTrue(leases.get("data").get("keys").size() >= outstanding.size(), "the creds leases are back: " + leases);
        } finally {
            second.destroy();
            assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        }
    }

    /**
     * OpenBao's {@code seal "static"}: the node initialised once over file storage unseals itself
     * when it starts again, and its data is there; the key file is the only thing it needed.
     */
    @Test
    void aStaticSealedNodeUnsealsItselfWhenItStartsAgain() throws Exception {
        String jar = jar();
        int port = freePort();
        Path key = dir.resolve("unseal.key");
        Commands.run(OPENSSL, "openssl", "rand", "-out", key.toString(), "32").ok();
        Path config = write("server.hcl", """
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                storage "file" {
                  path = "%s"
                }
                seal "static" {
                  current_key_id = "test-1"
                  current_key    = "file://%s"
                }
                """.formatted(port, dir.resolve("data"), key));
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String root;
        Process first = start(jar, config, "first.log");
        try {
            waitForHttp(http, url, first, "first.log");
            JsonNode init = call(http, "PUT", url + "/v1/sys/init", null,
                    "{\"recovery_shares\":1,\"recovery_threshold\":1}").json();
            root = init.get("root_token").asText();
            assertEquals(0, init.get("keys").size(), "an auto-unsealed node hands out recovery keys only: " + init);
            assertEquals(1, init.get("recovery_keys").size());
            waitFor(() -> call(http, "GET", url + "/v1/sys/health", null, null).status() == 200, "the node to unseal itself");
            assertEquals(204, call(http, "POST", url + "/v1/sys/mounts/ssh", root, "{\"type\":\"ssh\"}").status());
        } finally {
            first.destroy();
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
        }
        Process second = start(jar, config, "second.log");
        try {
            waitForHttp(http, url, second, "second.log");
            waitFor(() -> call(http, "GET", url + "/v1/sys/health", null, null).status() == 200,
                    "the restarted node to unseal itself");
            JsonNode status = call(http, "GET", url + "/v1/sys/seal-status", null, null).json();
            // Vault reports the recovery configuration's type here ("shamir") and says it is a recovery seal
            assertTrue(status.get("recovery_seal").asBoolean(), status.toString());
            assertFalse(status.get("sealed").asBoolean(), status.toString());
            assertTrue(call(http, "GET", url + "/v1/sys/mounts", root, null).json().get("data").has("ssh/"),
                    "the mount made before the restart is there");
        } finally {
            second.destroy();
            assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        }
    }

    /** {@code log_format = "json"}: each logged event is one JSON object in the shape of Vault's. */
    @Test
    void jsonLogsAreOneVaultShapedObjectPerEvent() throws Exception {
        String jar = jar();
        int port = freePort();
        Path config = write("server.hcl", """
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                storage "inmem" {}
                log_format = "json"
                """.formatted(port));
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Process p = start(jar, config, "json.log");
        try {
            waitForHttp(http, url, p, "json.log");
            call(http, "PUT", url + "/v1/sys/init", null, "{\"secret_shares\":1,\"secret_threshold\":1}");
            waitFor(() -> read("json.log").contains("security barrier initialized"), "the init to be logged");
            String line = read("json.log").lines().filter(l -> l.contains("security barrier initialized"))
                    .findFirst().orElseThrow();
            JsonNode event = JSON.readTree(line);
            assertEquals("info", event.get("@level").asText(), line);
            assertTrue(event.get("@message").asText().startsWith("security barrier initialized"), line);
            assertTrue(event.get("@module").asText().endsWith("SealCore"), line);
            assertTrue(event.get("@timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), line);
        } finally {
            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        }
    }

    private static List<byte[]> files(Path data) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (var files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.add(Files.readAllBytes(f));
            }
        }
        return out;
    }

    /** Every column of every row of the table, as bytes, through the PostgreSQL driver. */
    private static List<byte[]> rows(String table) throws Exception {
        Matcher m = Pattern.compile("postgres://([^@]+)@([^/]+)/([^?]+)").matcher(LocalPostgres.url());
        assertTrue(m.find(), LocalPostgres.url());
        List<byte[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + m.group(2) + "/" + m.group(3), m.group(1), "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    Object v = rs.getObject(i);
                    out.add(v instanceof byte[] b ? b : String.valueOf(v).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private Process start(String jar, Path config, String log) throws IOException {
        return new ProcessBuilder("java", "-jar", jar, "server", "-config=" + config)
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private void waitForHttp(HttpClient http, String url, Process p, String log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertTrue(p.isAlive(), () -> "the server exited: " + read(log));
            try {
                call(http, "GET", url + "/v1/sys/seal-status", null, null);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the server did not answer: " + read(log));
                }
                Thread.sleep(100);
            }
        }
    }

    private static void unseal(HttpClient http, String url, JsonNode init) throws Exception {
        call(http, "PUT", url + "/v1/sys/unseal", null, "{\"key\":\"" + init.get("keys").get(0).asText() + "\"}");
        JsonNode status = call(http, "PUT", url + "/v1/sys/unseal", null,
                "{\"key\":\"" + init.get("keys").get(1).asText() + "\"}").json();
        assertFalse(status.get("sealed").asBoolean(), status.toString());
    }

    private static String creds(HttpClient http, String url, String root, String mount) throws IOException, InterruptedException {
        HttpResult r = call(http, "POST", url + "/v1/" + mount + "/creds/web", root, "{\"ip\":\"10.0.0.5\"}");
        assertEquals(200, r.status(), r.body());
        return r.json().get("data").get("key").asText();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private String read(String log) {
        try {
            return Files.readString(dir.resolve(log));
        } catch (IOException e) {
            return "";
        }
    }

    /** Each start-up error is one line naming what is wrong, and the process exits 1 without a stack trace. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown key      | storage "inmem" {}\\nlistener "tcp" {\\n  address = "127.0.0.1:0"\\n  tls_disable = true\\n  colour = "blue"\\n} | server.hcl:5
            a bad duration      | storage "inmem" {}\\nlistener "tcp" {\\n  address = "127.0.0.1:0"\\n  tls_disable = true\\n}\\nmax_lease_ttl = "soon" | server.hcl:6
            a missing cert file | storage "inmem" {}\\nlistener "tcp" {\\n  address = "127.0.0.1:0"\\n  tls_cert_file = "/nonexistent/c.pem"\\n  tls_key_file = "/nonexistent/k.pem"\\n} | /nonexistent/c.pem
            a cluster stanza    | storage "inmem" {}\\ncluster {\\n  name = "x"\\n} | server.hcl:2
            """)
    void aBadConfigurationStopsStartUpWithOneLineThatSaysWhere(String name, String hcl, String expected) throws Exception {
        Path config = write("server.hcl", hcl.replace("\\n", "\n"));
        Commands.Result r = Commands.run(Duration.ofSeconds(60), "java", "-jar", jar(), "server", "-config=" + config);
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains(expected), r.describe());
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.describe());
    }

    @Test
    void aListenerAddressInUseNamesItsLineAndTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = write("server.hcl", """
                    storage "inmem" {}
                    listener "tcp" {
                      address     = "127.0.0.1:%d"
                      tls_disable = true
                    }
                    """.formatted(taken.getLocalPort()));
            Commands.Result r = Commands.run(Duration.ofSeconds(60), "java", "-jar", jar(), "server", "-config=" + config);
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains(config + ":3: listener address 127.0.0.1:" + taken.getLocalPort()
                    + " cannot be bound"), r.describe());
            assertTrue(r.stderr().contains("choose another address"), r.describe());
            assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.describe());
        }
    }

    @Test
    void withoutAConfigPathTheServerSaysWhatItNeeds() {
        Commands.Result r = Commands.run(Duration.ofSeconds(60), "java", "-jar", jar(), "server");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("Must specify at least one config path using -config"), r.describe());
    }

    private record HttpResult(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static HttpResult call(HttpClient http, String method, String url, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Vault-Token", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new HttpResult(r.statusCode(), r.body());
    }

    private Path makeCa() {
        Path key = dir.resolve("ca.key");
        Path cert = dir.resolve("ca.pem");
        Commands.run(OPENSSL, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=latchkey-test-ca").ok();
        return cert;
    }

    /** A fresh server key and certificate for 127.0.0.1, signed by the CA, over the same two files. */
    private void serverCertificate(Path ca) throws IOException {
        Path ext = write("ext", "subjectAltName=IP:127.0.0.1\n");
        Commands.run(OPENSSL, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString(),
                "-subj", "/CN=127.0.0.1").ok();
        Commands.run(OPENSSL, "openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(),
                "-CA", ca.toString(), "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial",
                "-out", dir.resolve("server.pem").toString(), "-days", "2", "-extfile", ext.toString()).ok();
    }

    /**
     * One request through {@code clients/go_vault_client.go} ({@code go run}) or
     * {@code clients/python_vault_client.py}, configured by the environment variables the vault CLI reads.
     */
    private Commands.Result vaultClient(String language, String addr, Path ca, String token, String method, String path,
                                        String body) throws IOException {
        String file = language.equals("go") ? "go_vault_client.go" : "python_vault_client.py";
        Path source = dir.resolve(file);
        if (!Files.exists(source)) {
            try (InputStream in = ConfiguredServerIT.class.getResourceAsStream("/clients/" + file)) {
                Files.copy(in, source);
            }
        }
        Map<String, String> env = new HashMap<>(Map.of("VAULT_ADDR", addr,
                "GOCACHE", dir.resolve("go-cache").toString(), "GOPATH", dir.resolve("go-path").toString(),
                "GO111MODULE", "off"));
        if (ca != null) {
            env.put("VAULT_CACERT", ca.toString());
        }
        if (token != null) {
            env.put("VAULT_TOKEN", token);
        }
        List<String> command = new ArrayList<>(language.equals("go") ? List.of("go", "run", source.toString())
                : List.of("python3", source.toString()));
        command.addAll(List.of(method, path));
        if (body != null) {
            command.add(body);
        }
        return Commands.run(Duration.ofSeconds(120), env, Path.of("/dev/null"), command);
    }

    private Commands.Result sClient(int port, Path ca, String version) {
        return Commands.run(OPENSSL, List.of("sh", "-c", "echo | openssl s_client -connect 127.0.0.1:" + port + " "
                + version + " -CAfile " + ca + " -verify_return_error 2>/dev/null | openssl x509 -noout -serial"));
    }

    private static String serial(String out) {
        assertTrue(out.startsWith("serial="), out);
        return out.strip();
    }

    private static SSLContext trusting(Path ca) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("out.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; output:\n" + output());
            }
            Thread.sleep(100);
        }
    }

    private static String jar() {
        String jar = System.getProperty("latchkey.jar");
        // failsafe builds the jar and names it; a -Dtest pattern can hand this class to surefire first
        assumeTrue(jar != null, "runs in the integration-test phase, after the jar is packaged");
        return jar;
    }

    private static int freePort() {
        return FreePorts.next();
    }
}
