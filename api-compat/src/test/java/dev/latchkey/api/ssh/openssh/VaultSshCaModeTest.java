package dev.latchkey.api.ssh.openssh;

import dev.latchkey.api.ssh.openssh.LatchkeyCa.CaKind;
import dev.latchkey.api.ssh.openssh.OpenSsh.Login;
import dev.latchkey.api.testing.Requests;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.latchkey.api.ssh.openssh.OpenSsh.user;
import static dev.latchkey.api.testing.JsonText.quote;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code vault ssh -mode=ca}: the exact sign request the CLI sends (its public key file, the
 * user as principal, {@code cert_type} user and the five {@code permit-*} extensions with empty
 * values), then ssh run the way the CLI runs it ({@code -i <private key> -i <certificate file>}),
 * against a real sshd trusting Latchkey's CA. With {@code -host-key-mount-point} the CLI also reads
 * the host CA from {@code config/ca} and writes {@code @cert-authority * <public_key>}.
 * The user CA is generated with {@code config/ca}'s defaults (RSA 4096), the key is the CLI's
 * default {@code id_rsa}.
 */
class VaultSshCaModeTest {
    private static final String OK = "latchkey-ok";
    private static final List<String> CLI_EXTENSIONS = List.of("permit-X11-forwarding", "permit-agent-forwarding",
            "permit-port-forwarding", "permit-pty", "permit-user-rc");

    @TempDir
    static Path dir;
    private static String userMount;
    private static String hostMount;
    private static SshKeygen.KeyPair idRsa;
    private static SshdProcess sshd;

    @BeforeAll
    static void setUp() {
        SshdProcess.requireOpenSsh();
        userMount = LatchkeyCa.mountWithCa("oss-cli-users", "{}");
        Requests.role(userMount, "cli", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":"
                + quote(user()) + ",\"allowed_extensions\":" + quote(String.join(",", CLI_EXTENSIONS)) + ",\"ttl\":\"30m\"}");
        Path trusted = TestFiles.write(dir.resolve("trusted_user_ca_keys"), LatchkeyCa.publicKey(userMount));
        idRsa = SshKeygen.generate(dir, "id_rsa", "rsa", 0);

        hostMount = LatchkeyCa.mountWithCa("oss-cli-hosts", CaKind.ED25519);
        Requests.role(hostMount, "host", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"127.0.0.1\",\"allow_bare_domains\":true}");
        SshKeygen.KeyPair hostKey = SshKeygen.generate(dir, "ssh_host_ed25519_key", "ed25519", 0);
        JsonPath host = LatchkeyCa.sign(hostMount, "host", "{\"public_key\":" + quote(hostKey.publicKeyText())
                + ",\"cert_type\":\"host\",\"valid_principals\":\"127.0.0.1\"}");
        Path hostCert = TestFiles.write(dir.resolve("ssh_host_ed25519_key-cert.pub"), host.getString("data.signed_key"));

        sshd = SshdProcess.builder(dir.resolve("sshd")).hostKey(hostKey.privateKeyFile()).hostCertificate(hostCert)
                .trustedUserCaKeys(trusted).start();
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    /** {@code PUT <mount>/sign/<role>} with the CLI's body; the certificate written to a 0600 file as the CLI does. */
    private static Path cliSign(String name) {
        String body = "{\"public_key\":" + quote(idRsa.publicKeyText()) + ",\"valid_principals\":" + quote(user())
                + ",\"cert_type\":\"user\",\"extensions\":{\"permit-X11-forwarding\":\"\",\"permit-agent-forwarding\":\"\","
                + "\"permit-port-forwarding\":\"\",\"permit-pty\":\"\",\"permit-user-rc\":\"\"}}";
        JsonPath answer = LatchkeyCa.sign(userMount, "cli", body);
        String signedKey = answer.getString("data.signed_key");
        assertThat(signedKey, startsWith("ssh-rsa-cert-v01@openssh.com "));
        assertThat(signedKey, endsWith("\n"));
        return TestFiles.writePrivate(dir.resolve(name), signedKey);
    }

    /** ssh as the CLI runs it in CA mode: {@code -i <private key> -i <certificate file>}. */
    private static Login cliSsh(Path certFile) {
        return Login.to(sshd).identityFile(idRsa.privateKeyFile()).identityFile(certFile);
    }

    @Test
    void cliSignRequestGivesACertificateOpenSshAccepts() {
        Path certFile = cliSign("cli-cert");
        KeygenListing cert = SshKeygen.inspect(certFile);
        assertThat(cert.type(), is("ssh-rsa-cert-v01@openssh.com user certificate"));
        assertThat(cert.principals(), is(List.of(user())));
        // ssh-keygen lists them in the certificate's order, which the certificate format wants sorted
        assertThat(cert.extensions(), is(CLI_EXTENSIONS));
        assertThat(cert.caLabel(), is("RSA"));
        assertThat(cert.caFingerprint(), startsWith("SHA256:"));
        assertThat(cert.caAlgorithm(), is("rsa-sha2-256"));

        // -strict-host-key-checking=no without a host-key mount
        long mark = sshd.logMark();
        Commands.Result r = cliSsh(certFile).knownHosts(dir.resolve("known_hosts_cli"), "no").run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), is(OK + "\n"));
        String log = sshd.awaitLog(mark, "Accepted publickey for " + user());
        assertThat(log, containsString("Accepted certificate ID \"" + cert.keyId() + "\" (serial " + cert.serial()
                + ") signed by RSA CA "));
    }

    @Test
    void hostKeyMountFlowVerifiesTheServerWithStrictChecking() {
        // -host-key-mount-point: GET <host mount>/config/ca, known_hosts "@cert-authority * <public_key>", strict checking
        String hostCa = LatchkeyCa.configCaPublicKey(hostMount);
        assertThat(hostCa, is(LatchkeyCa.publicKey(hostMount)));
        Path knownHosts = TestFiles.write(dir.resolve("known_hosts_host_mount"), "@cert-authority * " + hostCa);

        Path certFile = cliSign("cli-cert-strict");
        Commands.Result r = cliSsh(certFile).knownHosts(knownHosts, "yes").verbose().run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), is(OK + "\n"));
        assertThat(r.stderr(), containsString("matches the ED25519-CERT host certificate."));
    }
}
