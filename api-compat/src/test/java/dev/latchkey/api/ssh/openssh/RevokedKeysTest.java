package dev.latchkey.api.ssh.openssh;

import dev.latchkey.api.hostsync.HostSync;
import dev.latchkey.api.ssh.openssh.OpenSsh.Login;
import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.latchkey.api.ssh.openssh.OpenSsh.user;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Revocation as hosts enforce it, with a real sshd ({@code RevokedKeys}) and a real ssh client
 * ({@code RevokedHostKeys}) reading the files {@code latchkey host-sync} keeps: a certificate logs
 * in; it is revoked; after the next sync it is refused, by sshd's own account, while another
 * certificate from the same CA still logs in.
 */
class RevokedKeysTest {
    private static final String OK = "latchkey-not-revoked";

    @TempDir
    Path dir;

    /** Runs {@code latchkey host-sync} into {@code into}, as a host's timer would; returns its output. */
    private static String sync(String mount, Path into) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = HostSync.run(List.of("--addr", DevServer.baseUri(), "--mount", mount, "--dir", into.toString()), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    private Path sign(String mount, String role, SshKeygen.KeyPair key, String file, String more) {
        JsonPath signed = LatchkeyCa.sign(mount, role, "{\"public_key\":" + quote(key.publicKeyText()) + more + "}");
        return TestFiles.write(dir.resolve(file), signed.getString("data.signed_key"));
    }

    private static String serialOf(Path certificate) {
        return SshKeygen.inspect(TestFiles.read(certificate)).serial();
    }

    private static void assertIn(Commands.Result r) {
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), is(OK + "\n"));
    }

    @Test
    void aRevokedUserCertificateIsRefusedAfterTheNextSyncAndAnotherStillLogsIn() {
        SshdProcess.requireOpenSsh();
        String mount = LatchkeyCa.mountWithCa("revoked-users", LatchkeyCa.CaKind.ED25519);
        Requests.role(mount, "login", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allow_user_key_ids\":true,"
                + "\"allowed_users\":" + quote(user()) + ",\"ttl\":\"10m\"}");
        Path hostDir = dir.resolve("etc-ssh-latchkey");
        assertThat(sync(mount, hostDir), containsString("revoked-keys.krl: updated"));
        // the files are the ones config/openssh tells an operator to name
        String sshdConfig = DevServer.root().queryParam("type", "server").queryParam("dir", hostDir.toString())
                .get("/v1/" + mount + "/config/openssh").then().statusCode(200).extract().path("data.sshd_config");
        Path trusted = hostDir.resolve("trusted-user-ca-keys.pub");
        Path revoked = hostDir.resolve("revoked-keys.krl");
        assertThat(sshdConfig, containsString("TrustedUserCAKeys " + trusted + "\n"));
        assertThat(sshdConfig, containsString("RevokedKeys " + revoked + "\n"));

        SshKeygen.KeyPair key = SshKeygen.generate(dir, "user_ed25519", "ed25519", 0);
        SshKeygen.KeyPair other = SshKeygen.generate(dir, "other_ed25519", "ed25519", 0);
        String principals = ",\"valid_principals\":" + quote(user());
        Path lost = sign(mount, "login", key, "lost-cert.pub", principals);
        Path kept = sign(mount, "login", key, "kept-cert.pub", principals);
        Path byId = sign(mount, "login", other, "by-id-cert.pub", principals + ",\"key_id\":\"laptop-of-eve\"");
        Path knownHosts = dir.resolve("known_hosts");
        try (SshdProcess sshd = SshdProcess.builder(dir.resolve("sshd")).trustedUserCaKeys(trusted).revokedKeys(revoked)
                .start()) {
            assertIn(Login.to(sshd).keyAndCertificate(key.privateKeyFile(), lost).knownHosts(knownHosts, "no").run("echo", OK));

            String hex = Long.toHexString(Long.parseUnsignedLong(serialOf(lost)));
            json(DevServer.root(), "{\"serial_number\":\"" + hex + "\",\"reason\":\"laptop lost\"}")
                    .post("/v1/" + mount + "/revoke").then().statusCode(200);
            json(DevServer.root(), "{\"key_id\":\"laptop-of-eve\"}").post("/v1/" + mount + "/revoke").then().statusCode(200);
            // until the host syncs, it does not know
            assertIn(Login.to(sshd).keyAndCertificate(key.privateKeyFile(), lost).knownHosts(knownHosts, "no").run("echo", OK));

            assertThat(sync(mount, hostDir), containsString("revoked-keys.krl: updated"));
            for (Path refusedCert : List.of(lost, byId)) {
                SshKeygen.KeyPair k = refusedCert == lost ? key : other;
                long mark = sshd.logMark();
                Commands.Result refused = Login.to(sshd).keyAndCertificate(k.privateKeyFile(), refusedCert)
                        .knownHosts(knownHosts, "no").run("echo", OK);
                assertThat(refused.describe(), refused.exitCode(), is(255));
                assertThat(refused.describe(), refused.stdout(), not(containsString(OK)));
                String log = sshd.awaitLog(mark, "revoked by file " + revoked);
                assertThat(log, containsString("Authentication key ED25519-CERT "));
            }
            assertIn(Login.to(sshd).keyAndCertificate(key.privateKeyFile(), kept).knownHosts(knownHosts, "no").run("echo", OK));
            // a sync with nothing new leaves the file as it is
            assertThat(sync(mount, hostDir), containsString("revoked-keys.krl: unchanged"));
        }
    }

    @Test
    void aRevokedHostCertificateIsRefusedByTheClient() {
        SshdProcess.requireOpenSsh();
        String userMount = LatchkeyCa.mountWithCa("revoked-hosts-users", LatchkeyCa.CaKind.ED25519);
        Requests.role(userMount, "login", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":"
                + quote(user()) + "}");
        Path trustedUsers = TestFiles.write(dir.resolve("trusted_user_ca_keys"), LatchkeyCa.publicKey(userMount));
        SshKeygen.KeyPair userKey = SshKeygen.generate(dir, "user_ed25519", "ed25519", 0);
        Path userCert = sign(userMount, "login", userKey, "user-cert.pub", ",\"valid_principals\":" + quote(user()));

        String mount = LatchkeyCa.mountWithCa("revoked-hosts", LatchkeyCa.CaKind.ED25519);
        Requests.role(mount, "host", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"127.0.0.1\",\"allow_bare_domains\":true,\"ttl\":\"1h\"}");
        SshKeygen.KeyPair hostKey = SshKeygen.generate(dir, "ssh_host_ed25519_key", "ed25519", 0);
        String host = ",\"cert_type\":\"host\",\"valid_principals\":\"127.0.0.1\"";
        Path hostCert = sign(mount, "host", hostKey, "host-cert.pub", host);
        // the client's known_hosts as config/openssh gives it, and the KRL host-sync keeps
        Path clientDir = dir.resolve("client");
        sync(mount, clientDir);
        String knownHostsText = DevServer.root().queryParam("type", "client").get("/v1/" + mount + "/config/openssh")
                .then().statusCode(200).extract().path("data.known_hosts");
        assertThat(knownHostsText, containsString("@cert-authority 127.0.0.1 ssh-ed25519 "));
        Path knownHosts = TestFiles.write(dir.resolve("known_hosts"), knownHostsText);
        String revokedHostKeys = "RevokedHostKeys=" + clientDir.resolve("revoked-keys.krl");

        try (SshdProcess sshd = SshdProcess.builder(dir.resolve("sshd-1")).hostKey(hostKey.privateKeyFile())
                .hostCertificate(hostCert).trustedUserCaKeys(trustedUsers).start()) {
            assertIn(Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert).knownHosts(knownHosts, "yes")
                    .option(revokedHostKeys).run("echo", OK));
        }
        String hex = Long.toHexString(Long.parseUnsignedLong(serialOf(hostCert)));
        json(DevServer.root(), "{\"serial_number\":\"" + hex + "\"}").post("/v1/" + mount + "/revoke").then().statusCode(200);
        assertThat(sync(mount, clientDir), containsString("revoked-keys.krl: updated"));
        try (SshdProcess sshd = SshdProcess.builder(dir.resolve("sshd-2")).hostKey(hostKey.privateKeyFile())
                .hostCertificate(hostCert).trustedUserCaKeys(trustedUsers).start()) {
            Commands.Result r = Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert)
                    .knownHosts(knownHosts, "yes").option(revokedHostKeys).run("echo", OK);
            assertThat(r.describe(), r.exitCode(), is(255));
            assertThat(r.describe(), r.stderr(), containsString("Host key ED25519-CERT " + hostKey.fingerprint().sha256()
                    + " revoked by file " + clientDir.resolve("revoked-keys.krl")));
            assertThat(r.describe(), r.stderr(), containsString("Host key verification failed."));
        }
        // the same host key with a new certificate from the same CA is trusted again
        Path renewed = sign(mount, "host", hostKey, "host-renewed-cert.pub", host);
        try (SshdProcess sshd = SshdProcess.builder(dir.resolve("sshd-3")).hostKey(hostKey.privateKeyFile())
                .hostCertificate(renewed).trustedUserCaKeys(trustedUsers).start()) {
            assertIn(Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert).knownHosts(knownHosts, "yes")
                    .option(revokedHostKeys).run("echo", OK));
        }
    }
}
