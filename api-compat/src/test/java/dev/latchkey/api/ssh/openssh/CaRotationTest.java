package dev.latchkey.api.ssh.openssh;

import dev.latchkey.api.ssh.openssh.OpenSsh.Login;
import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static dev.latchkey.api.ssh.openssh.OpenSsh.user;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A CA rotated with the issuer paths, against a real sshd and a real ssh client, following the
 * published steps: create the next issuer, publish both keys ({@code issuers/public_keys}) to the
 * hosts, switch the default, retire the old issuer and publish again. A certificate signed at any
 * step logs in at once, so there is no moment when a fresh certificate is refused; the old CA's
 * certificates log in until the hosts drop its key, and then not.
 */
class CaRotationTest {
    private static final String OK = "latchkey-rotated";

    @TempDir
    Path dir;

    /** The document hosts keep, as served without a token. */
    private static String publicKeys(String mount) {
        Response r = DevServer.anonymous().get("/v1/" + mount + "/issuers/public_keys");
        r.then().statusCode(200);
        return r.asString();
    }

    private static String importIssuer(String mount, String name) {
        Response r = json(DevServer.root(), "{\"key_type\":\"ed25519\"}").post("/v1/" + mount + "/issuers/import/" + name);
        r.then().statusCode(200);
        return r.path("data.issuer_id");
    }

    private static void makeDefault(String mount, String ref) {
        json(DevServer.root(), "{\"default\":" + quote(ref) + "}").post("/v1/" + mount + "/config/issuers")
                .then().statusCode(200);
    }

    private Path signUser(String mount, SshKeygen.KeyPair key, String file, String expectedIssuer) {
        JsonPath signed = LatchkeyCa.sign(mount, "login", "{\"public_key\":" + quote(key.publicKeyText())
                + ",\"valid_principals\":" + quote(user()) + "}");
        assertEquals(expectedIssuer, signed.getString("data.issuer_id"));
        return TestFiles.write(dir.resolve(file), signed.getString("data.signed_key"));
    }

    private static Commands.Result login(SshdProcess sshd, SshKeygen.KeyPair key, Path cert, Path knownHosts,
                                         String strict) {
        return Login.to(sshd).keyAndCertificate(key.privateKeyFile(), cert).knownHosts(knownHosts, strict).run("echo", OK);
    }

    private static void assertIn(Commands.Result r) {
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), is(OK + "\n"));
    }

    @Test
    void userCertificatesLogInThroughoutARotationAndTheRetiredCasStopAtTheHosts() {
        SshdProcess.requireOpenSsh();
        String mount = DevServer.enableSsh("rotate-users");
        String old = importIssuer(mount, "users-2025");
        Requests.role(mount, "login", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":"
                + quote(user()) + ",\"ttl\":\"10m\"}");
        Path trusted = TestFiles.write(dir.resolve("trusted_user_ca_keys"), publicKeys(mount));
        assertEquals(1, TestFiles.read(trusted).lines().count());
        SshKeygen.KeyPair key = SshKeygen.generate(dir, "user_ed25519", "ed25519", 0);
        Path knownHosts = dir.resolve("known_hosts");
        try (SshdProcess sshd = SshdProcess.builder(dir.resolve("sshd")).trustedUserCaKeys(trusted)
                .logLevel("DEBUG2").start()) {
            Path certOld = signUser(mount, key, "old-cert.pub", old);
            assertIn(login(sshd, key, certOld, knownHosts, "no"));

            // 1. the next issuer, not yet the default; 2. the hosts learn both keys
            String next = importIssuer(mount, "users-2026");
            TestFiles.write(trusted, publicKeys(mount));
            assertThat(TestFiles.read(trusted), containsString(" users-2025\n"));
            assertThat(TestFiles.read(trusted), containsString(" users-2026\n"));
            assertIn(login(sshd, key, certOld, knownHosts, "no"));
            assertIn(login(sshd, key, signUser(mount, key, "fresh-1-cert.pub", old), knownHosts, "no"));

            // 3. the switch: new certificates come from the new key and log in at once; old ones still do
            makeDefault(mount, "users-2026");
            Path certNew = signUser(mount, key, "new-cert.pub", next);
            assertIn(login(sshd, key, certNew, knownHosts, "no"));
            assertIn(login(sshd, key, certOld, knownHosts, "no"));

            // 5. retire: the old issuer goes, the hosts refresh, and its certificates are refused
            DevServer.root().delete("/v1/" + mount + "/issuer/users-2025").then().statusCode(204);
            TestFiles.write(trusted, publicKeys(mount));
            assertEquals(1, TestFiles.read(trusted).lines().count());
            long mark = sshd.logMark();
            Commands.Result refused = login(sshd, key, certOld, knownHosts, "no");
            assertThat(refused.describe(), refused.exitCode(), is(255));
            assertThat(refused.describe(), refused.stdout(), not(containsString(OK)));
            String log = sshd.awaitLog(mark, "Failed publickey for " + user());
            assertThat(log, Pattern.compile("user_cert_trusted_ca: CA ED25519 \\S+ is not listed in "
                    + Pattern.quote(trusted.toString())).matcher(log).find(), is(true));
            assertIn(login(sshd, key, certNew, knownHosts, "no"));
            assertIn(login(sshd, key, signUser(mount, key, "fresh-2-cert.pub", next), knownHosts, "no"));
        }
    }

    @Test
    void hostCertificatesAreTrustedThroughoutARotationByCertAuthorityLines() {
        SshdProcess.requireOpenSsh();
        // users log in with a certificate of a CA of their own, which does not rotate here
        String userMount = LatchkeyCa.mountWithCa("rotate-hosts-users", LatchkeyCa.CaKind.ED25519);
        Requests.role(userMount, "login", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":"
                + quote(user()) + "}");
        Path trustedUsers = TestFiles.write(dir.resolve("trusted_user_ca_keys"), LatchkeyCa.publicKey(userMount));
        SshKeygen.KeyPair userKey = SshKeygen.generate(dir, "user_ed25519", "ed25519", 0);
        Path userCert = TestFiles.write(dir.resolve("user-cert.pub"), LatchkeyCa.sign(userMount, "login",
                "{\"public_key\":" + quote(userKey.publicKeyText()) + ",\"valid_principals\":" + quote(user()) + "}")
                .getString("data.signed_key"));

        String mount = DevServer.enableSsh("rotate-hosts");
        String old = importIssuer(mount, "hosts-2025");
        Requests.role(mount, "host", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"127.0.0.1\",\"allow_bare_domains\":true,\"ttl\":\"1h\"}");
        SshKeygen.KeyPair hostKey = SshKeygen.generate(dir, "ssh_host_ed25519_key", "ed25519", 0);
        Path knownHosts = dir.resolve("known_hosts");
        Path hostCertOld = hostCertificate(mount, hostKey, "host-old-cert.pub", old);
        certAuthorities(knownHosts, publicKeys(mount));

        try (SshdProcess sshd = host(hostKey, hostCertOld, trustedUsers, "sshd-1")) {
            assertIn(Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert).knownHosts(knownHosts, "yes")
                    .run("echo", OK));
        }
        String next = importIssuer(mount, "hosts-2026");
        certAuthorities(knownHosts, publicKeys(mount));
        try (SshdProcess sshd = host(hostKey, hostCertOld, trustedUsers, "sshd-2")) {
            assertIn(Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert).knownHosts(knownHosts, "yes")
                    .run("echo", OK));
        }
        makeDefault(mount, next);
        Path hostCertNew = hostCertificate(mount, hostKey, "host-new-cert.pub", next);
        try (SshdProcess sshd = host(hostKey, hostCertNew, trustedUsers, "sshd-3")) {
            assertIn(Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert).knownHosts(knownHosts, "yes")
                    .run("echo", OK));
        }
        DevServer.root().delete("/v1/" + mount + "/issuer/" + old).then().statusCode(204);
        certAuthorities(knownHosts, publicKeys(mount));
        try (SshdProcess sshd = host(hostKey, hostCertNew, trustedUsers, "sshd-4")) {
            assertIn(Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert).knownHosts(knownHosts, "yes")
                    .run("echo", OK));
        }
        try (SshdProcess sshd = host(hostKey, hostCertOld, trustedUsers, "sshd-5")) {
            Commands.Result r = Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert)
                    .knownHosts(knownHosts, "yes").run("echo", OK);
            assertThat(r.describe(), r.exitCode(), is(255));
            assertThat(r.describe(), r.stderr(), containsString("Host key verification failed."));
        }
    }

    private Path hostCertificate(String mount, SshKeygen.KeyPair hostKey, String file, String expectedIssuer) {
        JsonPath signed = LatchkeyCa.sign(mount, "host", "{\"public_key\":" + quote(hostKey.publicKeyText())
                + ",\"cert_type\":\"host\",\"valid_principals\":\"127.0.0.1\"}");
        assertEquals(expectedIssuer, signed.getString("data.issuer_id"));
        return TestFiles.write(dir.resolve(file), signed.getString("data.signed_key"));
    }

    /** The client's known_hosts: one {@code @cert-authority} line per key the document lists. */
    private static void certAuthorities(Path knownHosts, String document) {
        StringBuilder out = new StringBuilder();
        for (String line : document.lines().toList()) {
            out.append("@cert-authority * ").append(line).append('\n');
        }
        TestFiles.write(knownHosts, out.toString());
    }

    private SshdProcess host(SshKeygen.KeyPair hostKey, Path hostCert, Path trustedUsers, String name) {
        return SshdProcess.builder(dir.resolve(name)).hostKey(hostKey.privateKeyFile()).hostCertificate(hostCert)
                .trustedUserCaKeys(trustedUsers).start();
    }
}
