package dev.latchkey.api.http.tls;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listener's TLS against the real OpenSSL client: a CA, server certificates (RSA in PKCS#1 and
 * PKCS#8, ECDSA in SEC1) and a client certificate are made with {@code openssl} for each run.
 */
class TlsListenerTest {
    @TempDir
    static Path dir;
    static Vertx vertx;

    @BeforeAll
    static void pki() throws Exception {
        vertx = Vertx.vertx();
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=Latchkey Test CA");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
        serverCert("rsa", "rsa:2048", "0A01");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "rsa.key", "-out", "rsa-pkcs8.key");
        openssl("rsa", "-in", "rsa.key", "-traditional", "-out", "rsa-pkcs1.key");
        serverCert("rsa2", "rsa:2048", "0B02");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        openssl("req", "-new", "-key", "ec.key", "-out", "ec.csr", "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", "ec.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0xEC03",
                "-days", "2", "-extfile", "ext.cnf", "-out", "ec.pem");
        serverCert("client", "rsa:2048", "0C04");
    }

    @AfterAll
    static void close() {
        vertx.close().await();
    }

    private static void serverCert(String name, String alg, String serial) throws Exception {
        openssl("req", "-new", "-newkey", alg, "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial",
                "0x" + serial, "-days", "2", "-extfile", "ext.cnf", "-out", name + ".pem");
    }

    private static String openssl(String... args) throws Exception {
        return run(null, args);
    }

    private static String run(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().write((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        if (p.exitValue() != 0 && !args[0].equals("s_client")) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
        return (p.exitValue() == 0 ? "" : "EXIT" + p.exitValue() + "\n") + out;
    }

    private static HttpServer start(TlsSettings tls) throws TlsException {
        HttpServerOptions options = TlsListener.serverOptions(new HttpServerOptions().setHost("127.0.0.1").setPort(0), tls);
        return vertx.createHttpServer(options).requestHandler(r -> r.response().end("ok")).listen().await();
    }

    /** One handshake with s_client; the output ends with the peer certificate's serial when it succeeded. */
    private static String handshake(HttpServer server, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + server.actualPort(),
                "-CAfile", "ca.pem", "-verify_return_error", "-servername", "localhost", "-ign_eof"));
        args.addAll(List.of(extra));
        String out = run("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", args.toArray(String[]::new));
        return out;
    }

    private static String serial(HttpServer server, String... extra) throws Exception {
        String out = handshake(server, extra);
        int begin = out.indexOf("-----BEGIN CERTIFICATE-----");
        if (begin < 0) {
            return "none";
        }
        String pem = out.substring(begin, out.indexOf("-----END CERTIFICATE-----") + 25) + "\n";
        return run(pem, "x509", "-noout", "-serial").trim();
    }

    private static TlsSettings settings(String cert, String key) {
        return TlsSettings.of(dir.resolve(cert), dir.resolve(key));
    }

    @Test
    void tls12AndTls13SucceedAndVerifyTls11IsRefused() throws Exception {
        HttpServer server = start(settings("rsa.pem", "rsa.key"));
        try {
            String v12 = handshake(server, "-tls1_2");
            assertTrue(v12.contains("Verify return code: 0 (ok)"), v12);
            assertTrue(v12.contains("Protocol  : TLSv1.2") || v12.contains("TLSv1.2"), v12);
            String v13 = handshake(server, "-tls1_3");
            assertTrue(v13.contains("Verify return code: 0 (ok)") && v13.contains("TLSv1.3"), v13);
            String v11 = handshake(server, "-tls1_1");
            assertTrue(v11.startsWith("EXIT"), v11);
            assertFalse(v11.contains("BEGIN CERTIFICATE"), v11);
        } finally {
            server.close().await();
        }
    }

    @Test
    void everyKeyFormServes() throws Exception {
        for (String[] pair : new String[][] {{"rsa.pem", "rsa-pkcs1.key", "serial=0A01"},
                {"rsa.pem", "rsa-pkcs8.key", "serial=0A01"}, {"ec.pem", "ec.key", "serial=EC03"}}) {
            HttpServer server = start(settings(pair[0], pair[1]));
            try {
                assertEquals(pair[2], serial(server), pair[1]);
            } finally {
                server.close().await();
            }
        }
    }

    @Test
    void reloadSwapsTheCertificateForNewConnectionsAndKeepsTheOldOneOnFailure() throws Exception {
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live.key");
        Files.copy(dir.resolve("rsa.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("rsa.key"), key, StandardCopyOption.REPLACE_EXISTING);
        TlsSettings tls = TlsSettings.of(cert, key);
        HttpServer server = start(tls);
        try {
            assertEquals("serial=0A01", serial(server));
            Files.copy(dir.resolve("rsa2.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("rsa2.key"), key, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(TlsListener.reload(server, tls).await());
            assertEquals("serial=0B02", serial(server));

            Files.writeString(key, "not a key\n");
            Exception failed = assertThrows(Exception.class, () -> TlsListener.reload(server, tls).await());
            assertTrue(failed.getMessage().startsWith("error loading TLS cert: "), failed.getMessage());
            assertEquals("serial=0B02", serial(server));
        } finally {
            server.close().await();
        }
    }

    @Test
    void anOpenConnectionSurvivesAReload() throws Exception {
        Path cert = dir.resolve("kept.pem");
        Path key = dir.resolve("kept.key");
        Files.copy(dir.resolve("rsa.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("rsa.key"), key, StandardCopyOption.REPLACE_EXISTING);
        TlsSettings tls = TlsSettings.of(cert, key);
        HttpServer server = start(tls);
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.actualPort(),
                "-CAfile", "ca.pem", "-quiet").directory(dir.toFile()).redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                int c;
                while ((c = p.getInputStream().read()) >= 0) {
                    out.append((char) c);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            byte[] get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            p.getOutputStream().write(get);
            p.getOutputStream().flush();
            awaitResponses(out, 1);
            Files.copy(dir.resolve("rsa2.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("rsa2.key"), key, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(TlsListener.reload(server, tls).await());
            p.getOutputStream().write(get);
            p.getOutputStream().flush();
            awaitResponses(out, 2);
            assertTrue(p.isAlive(), out.toString());
        } finally {
            p.destroy();
            server.close().await();
        }
    }

    private static void awaitResponses(StringBuffer out, int n) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (out.toString().split("HTTP/1.1 200", -1).length - 1 >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + n + " responses on one connection: " + out);
    }

    @Test
    void requiredClientCertificate() throws Exception {
        TlsSettings tls = new TlsSettings(dir.resolve("rsa.pem"), dir.resolve("rsa.key"), TlsVersion.TLS12,
                TlsVersion.TLS13, dir.resolve("ca.pem"), true, false);
        HttpServer server = start(tls);
        try {
            String without = handshake(server, "-tls1_2");
            assertFalse(without.contains("HTTP/1.1 200"), without);
            String with = handshake(server, "-tls1_2", "-cert", "client.pem", "-key", "client.key");
            assertTrue(with.contains("HTTP/1.1 200"), with);
        } finally {
            server.close().await();
        }
    }

    @Test
    void badFilesAreOneLineErrors() {
        TlsException missing = assertThrows(TlsException.class,
                () -> TlsListener.sslOptions(settings("nope.pem", "rsa.key")));
        assertTrue(missing.getMessage().startsWith("error loading TLS cert: cannot read 'tls_cert_file' "),
                missing.getMessage());
        TlsException mismatched = assertThrows(TlsException.class,
                () -> TlsListener.sslOptions(settings("rsa.key", "rsa.key")));
        assertFalse(mismatched.getMessage().contains("\n"));
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> TlsVersion.parse("tls_min_version", "tls9"));
        assertEquals("'tls_min_version' value \"tls9\" not supported, please specify one of "
                + "[tls10,tls11,tls12,tls13]", version.getMessage());
    }
}
