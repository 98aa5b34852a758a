package dev.latchkey.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.testing.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        Path config = write("server.hcl", """
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
                api_addr = "https://127.0.0.1:%d"
                pid_file = "%s"
                ui       = true
                """.formatted(plain, tls, dir.resolve("server.pem"), dir.resolve("server.key"), tls, pid));
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

            // TLS 1.1 is refused; 1.2 and 1.3 are served with the configured chain
            assertNotEquals(0, sClient(tls, ca, "-tls1_1").exitCode());
            String before = serial(sClient(tls, ca, "-tls1_2").ok().stdout());
            assertEquals(before, serial(sClient(tls, ca, "-tls1_3").ok().stdout()));

            serverCertificate(ca); // a new certificate in the same files, then SIGHUP
            Commands.run(OPENSSL, "kill", "-HUP", Long.toString(p.pid())).ok();
            waitFor(() -> output().contains("TLS certificates reloaded"), "the reload");
            String after = serial(sClient(tls, ca, "-tls1_3").ok().stdout());
            assertNotEquals(before, after, "a new connection sees the new certificate");

            assertEquals(204, call(http, "PUT", tlsUrl + "/v1/sys/seal", root, null).status());
            HttpResult sealed = call(http, "GET", tlsUrl + "/v1/ssh/roles/web", root, null);
            assertEquals(503, sealed.status());
            assertEquals("{\"errors\":[\"Vault is sealed\"]}", sealed.body().strip());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "SIGTERM stops the server");
        }
        assertFalse(Files.exists(pid), "the pid file is removed on the way out");
    }

    /** Each start-up error is one line naming what is wrong, and the process exits 1 without a stack trace. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown key      | storage "inmem" {}\\nlistener "tcp" {\\n  address = "127.0.0.1:0"\\n  tls_disable = true\\n  colour = "blue"\\n} | server.hcl:5
            a bad duration      | storage "inmem" {}\\nlistener "tcp" {\\n  address = "127.0.0.1:0"\\n  tls_disable = true\\n}\\nmax_lease_ttl = "soon" | server.hcl:6
            a missing cert file | storage "inmem" {}\\nlistener "tcp" {\\n  address = "127.0.0.1:0"\\n  tls_cert_file = "/nonexistent/c.pem"\\n  tls_key_file = "/nonexistent/k.pem"\\n} | /nonexistent/c.pem
            a cluster stanza    | storage "inmem" {}\\ncluster {\\n  name = "x"\\n} | server.hcl:2
            file storage        | storage "file" {\\n  path = "/tmp/latchkey-none"\\n}\\nlistener "tcp" {\\n  address = "127.0.0.1:0"\\n  tls_disable = true\\n} | not available to the server in this version yet
            """)
    void aBadConfigurationStopsStartUpWithOneLineThatSaysWhere(String name, String hcl, String expected) throws Exception {
        Path config = write("server.hcl", hcl.replace("\\n", "\n"));
        Commands.Result r = Commands.run(Duration.ofSeconds(60), "java", "-jar", jar(), "server", "-config=" + config);
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains(expected), r.describe());
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.describe());
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
