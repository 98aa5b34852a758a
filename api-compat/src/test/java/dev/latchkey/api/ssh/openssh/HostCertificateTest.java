package dev.latchkey.api.ssh.openssh;

import dev.latchkey.api.ssh.openssh.LatchkeyCa.CaKind;
import dev.latchkey.api.ssh.openssh.OpenSsh.Login;
import dev.latchkey.api.testing.Requests;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static dev.latchkey.api.ssh.openssh.LatchkeyCa.decimalSerial;
import static dev.latchkey.api.ssh.openssh.OpenSsh.user;
import static dev.latchkey.api.testing.JsonText.quote;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code sign/:role} with {@code cert_type=host}: a host key made by ssh-keygen and certified by Latchkey for
 * the principal {@code 127.0.0.1} is served by a real sshd ({@code HostCertificate}); a real ssh
 * client with {@code StrictHostKeyChecking=yes} and a known_hosts file holding only
 * {@code @cert-authority <pattern> <Latchkey host CA>} accepts it, and refuses it when that line
 * names another CA. Users log in with a certificate from a separate Latchkey user CA. Runs once
 * per host CA key kind (the host key is of the same family).
 */
@ParameterizedClass(name = "host CA {0}")
@EnumSource(CaKind.class)
class HostCertificateTest {
    private static final String OK = "latchkey-ok";

    @TempDir
    static Path dir;
    // class-wide user authentication: a Latchkey user CA and a certified user key
    private static Path trustedUserCa;
    private static SshKeygen.KeyPair userKey;
    private static Path userCert;

    // per host CA kind
    private static Path work;
    private static String hostCaPublicKey;
    private static SshKeygen.Fingerprint hostCaFingerprint;
    private static String foreignCaPublicKey;
    private static SshKeygen.KeyPair hostKey;
    private static Path hostCert;
    private static String hostCertSerialHex;
    private static SshdProcess sshd;

    @Parameter
    CaKind kind;

    @BeforeAll
    static void userCa() {
        SshdProcess.requireOpenSsh();
        String userMount = LatchkeyCa.mountWithCa("oss-hostcert-users", CaKind.ED25519);
        Requests.role(userMount, "login", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":"
                + quote(user()) + ",\"allowed_extensions\":\"permit-pty\",\"default_extensions\":{\"permit-pty\":\"\"}}");
        trustedUserCa = TestFiles.write(dir.resolve("trusted_user_ca_keys"), LatchkeyCa.publicKey(userMount));
        userKey = SshKeygen.generate(dir, "user_ed25519", "ed25519", 0);
        JsonPath signed = LatchkeyCa.sign(userMount, "login", "{\"public_key\":" + quote(userKey.publicKeyText())
                + ",\"valid_principals\":" + quote(user()) + "}");
        userCert = TestFiles.write(dir.resolve("user_ed25519-cert.pub"), signed.getString("data.signed_key"));
    }

    @BeforeParameterizedClassInvocation
    static void startSshd(CaKind caKind) {
        String hint = caKind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        work = dir.resolve(caKind.name());
        String hostMount = LatchkeyCa.mountWithCa("oss-hostca-" + hint, caKind);
        hostCaPublicKey = LatchkeyCa.publicKey(hostMount);
        hostCaFingerprint = SshKeygen.fingerprint(hostCaPublicKey);
        // "a different CA" for the negative case: another Latchkey mount with a CA of the same kind
        foreignCaPublicKey = LatchkeyCa.publicKey(LatchkeyCa.mountWithCa("oss-otherca-" + hint, caKind));

        Requests.role(hostMount, "host", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"127.0.0.1\",\"allow_bare_domains\":true,\"ttl\":\"1h\"}");
        hostKey = SshKeygen.generate(work, "ssh_host_key", caKind.keygenType, 0);
        JsonPath signed = LatchkeyCa.sign(hostMount, "host", "{\"public_key\":" + quote(hostKey.publicKeyText())
                + ",\"cert_type\":\"host\",\"valid_principals\":\"127.0.0.1\"}");
        hostCert = TestFiles.write(work.resolve("ssh_host_key-cert.pub"), signed.getString("data.signed_key"));
        hostCertSerialHex = signed.getString("data.serial_number");
        sshd = SshdProcess.builder(work.resolve("sshd")).hostKey(hostKey.privateKeyFile()).hostCertificate(hostCert)
                .trustedUserCaKeys(trustedUserCa).start();
    }

    @AfterParameterizedClassInvocation
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
            sshd = null;
        }
    }

    private static Path knownHosts(String name, String pattern, String caPublicKey) {
        return TestFiles.write(work.resolve(name), "@cert-authority " + pattern.replace("PORT", String.valueOf(sshd.port()))
                + " " + caPublicKey);
    }

    @Test
    void hostCertificateNamesTheHostAndTheLatchkeyCa() {
        KeygenListing cert = SshKeygen.inspect(hostCert);
        assertThat(cert.type(), is(hostKey.certificateType() + " host certificate"));
        assertThat(cert.principals(), is(List.of("127.0.0.1")));
        assertThat(cert.caLabel(), is(kind.label));
        assertThat(cert.caFingerprint(), is(hostCaFingerprint.sha256()));
        assertThat(cert.caAlgorithm(), is(kind.signatureAlgorithm));
        assertThat(cert.keyId(), is("vault-token-" + hostKey.blobSha256Hex()));
        assertThat(cert.extensions(), is(List.of()));
        assertThat(cert.serial(), is(decimalSerial(hostCertSerialHex)));
    }

    /**
     * For a non-22 port ssh looks plain host keys up as {@code [127.0.0.1]:port}; OpenSSH 9.2 was observed to
     * match a {@code @cert-authority} line by the bare host too, and {@code *} always matches ({@code PORT} is replaced).
     */
    @ParameterizedTest(name = "@cert-authority {0}")
    @ValueSource(strings = {"127.0.0.1", "[127.0.0.1]:PORT", "*"})
    void certAuthorityLineForTheLatchkeyHostCaVerifiesTheServer(String pattern) {
        Path hosts = knownHosts("known_hosts_ok", pattern, hostCaPublicKey);
        String before = TestFiles.read(hosts);
        Commands.Result r = Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert)
                .knownHosts(hosts, "yes").verbose().run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), is(OK + "\n"));

        KeygenListing cert = SshKeygen.inspect(hostCert);
        SshKeygen.Fingerprint hostFp = hostKey.fingerprint();
        // what ssh -v says it was shown and why it believed it
        assertThat(r.stderr(), containsString("debug1: Server host certificate: "
                + hostKey.certificateType() + " " + hostFp.sha256() + ", serial " + cert.serial()
                + " ID \"" + cert.keyId() + "\" CA " + kind.sshName + " " + hostCaFingerprint.sha256() + " valid from "));
        assertThat(r.stderr(), Pattern.compile("debug1: Host '[^']+' is known and matches the "
                + Pattern.quote(hostFp.label()) + "-CERT host certificate\\.").matcher(r.stderr()).find(), is(true));
        assertThat(r.stderr(), not(containsString("Permanently added")));
        assertThat(TestFiles.read(hosts), is(before));
    }

    @ParameterizedTest(name = "@cert-authority {0}")
    @ValueSource(strings = {"127.0.0.1", "[127.0.0.1]:PORT", "*"})
    void certAuthorityLineForAnotherCaFailsHostKeyVerification(String pattern) {
        Path hosts = knownHosts("known_hosts_foreign", pattern, foreignCaPublicKey);
        long mark = sshd.logMark();
        Commands.Result r = Login.to(sshd).keyAndCertificate(userKey.privateKeyFile(), userCert)
                .knownHosts(hosts, "yes").run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(255));
        assertThat(r.describe(), r.stdout(), not(containsString(OK)));
        String hostType = hostKey.fingerprint().label();
        assertThat(r.describe(), r.stderr(), containsString("No " + hostType + " host key is known for [127.0.0.1]:"
                + sshd.port() + " and you have requested strict checking.\r\nHost key verification failed.\r\n"));
        // the client gave up before authenticating
        assertThat(sshd.logSince(mark), not(containsString("publickey for")));
    }
}
