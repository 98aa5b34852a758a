package dev.latchkey.api.ssh.openssh;

import dev.latchkey.api.ssh.openssh.LatchkeyCa.CaKind;
import dev.latchkey.api.ssh.openssh.OpenSsh.Certificate;
import dev.latchkey.api.ssh.openssh.OpenSsh.Fingerprint;
import dev.latchkey.api.ssh.openssh.OpenSsh.Login;
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
import static dev.latchkey.api.ssh.openssh.LatchkeyCa.q;
import static dev.latchkey.api.ssh.openssh.OpenSsh.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * §3.10 with {@code cert_type=host}: a host key made by ssh-keygen and certified by Latchkey for
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
    private static Path userKey;
    private static Path userCert;

    // per host CA kind
    private static Path work;
    private static String hostCaPublicKey;
    private static Fingerprint hostCaFingerprint;
    private static String foreignCaPublicKey;
    private static Path hostKey;
    private static Path hostCert;
    private static String hostCertSerialHex;
    private static SshdProcess sshd;

    @Parameter
    CaKind kind;

    @BeforeAll
    static void userCa() {
        SshdProcess.requireOpenSsh();
        String userMount = LatchkeyCa.mountWithCa("oss-hostcert-users", CaKind.ED25519);
        LatchkeyCa.role(userMount, "login", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":"
                + q(user()) + ",\"allowed_extensions\":\"permit-pty\",\"default_extensions\":{\"permit-pty\":\"\"}}");
        trustedUserCa = OpenSsh.write(dir.resolve("trusted_user_ca_keys"), LatchkeyCa.publicKey(userMount));
        userKey = OpenSsh.keygen(dir, "user_ed25519", "ed25519");
        JsonPath signed = LatchkeyCa.sign(userMount, "login", "{\"public_key\":" + q(OpenSsh.read(OpenSsh.pub(userKey)))
                + ",\"valid_principals\":" + q(user()) + "}");
        userCert = OpenSsh.write(dir.resolve("user_ed25519-cert.pub"), signed.getString("data.signed_key"));
    }

    @BeforeParameterizedClassInvocation
    static void startSshd(CaKind caKind) {
        String hint = caKind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        work = dir.resolve(caKind.name());
        String hostMount = LatchkeyCa.mountWithCa("oss-hostca-" + hint, caKind);
        hostCaPublicKey = LatchkeyCa.publicKey(hostMount);
        hostCaFingerprint = OpenSsh.fingerprint(OpenSsh.write(work.resolve("host_ca.pub"), hostCaPublicKey));
        // "a different CA" for the negative case: another Latchkey mount with a CA of the same kind
        foreignCaPublicKey = LatchkeyCa.publicKey(LatchkeyCa.mountWithCa("oss-otherca-" + hint, caKind));

        LatchkeyCa.role(hostMount, "host", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"127.0.0.1\",\"allow_bare_domains\":true,\"ttl\":\"1h\"}");
        hostKey = OpenSsh.keygen(work, "ssh_host_key", caKind.keygenType);
        JsonPath signed = LatchkeyCa.sign(hostMount, "host", "{\"public_key\":" + q(OpenSsh.read(OpenSsh.pub(hostKey)))
                + ",\"cert_type\":\"host\",\"valid_principals\":\"127.0.0.1\"}");
        hostCert = OpenSsh.write(work.resolve("ssh_host_key-cert.pub"), signed.getString("data.signed_key"));
        hostCertSerialHex = signed.getString("data.serial_number");
        sshd = SshdProcess.builder(work.resolve("sshd")).hostKey(hostKey).hostCertificate(hostCert)
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
        return OpenSsh.write(work.resolve(name), "@cert-authority " + pattern.replace("PORT", String.valueOf(sshd.port()))
                + " " + caPublicKey);
    }

    @Test
    void hostCertificateNamesTheHostAndTheLatchkeyCa() {
        Certificate cert = OpenSsh.certificate(hostCert);
        assertThat(cert.type(), is(OpenSsh.certificateAlgorithm(OpenSsh.pub(hostKey)) + " host certificate"));
        assertThat(cert.principals(), is(List.of("127.0.0.1")));
        assertThat(cert.signingCa(), is(kind.label + " " + hostCaFingerprint.sha256() + " (using "
                + kind.signatureAlgorithm + ")"));
        assertThat(cert.keyId(), is("vault-token-" + OpenSsh.publicKeyHash(OpenSsh.pub(hostKey))));
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
        String before = OpenSsh.read(hosts);
        Commands.Result r = Login.to(sshd).keyAndCertificate(userKey, userCert).knownHosts(hosts, "yes").verbose()
                .run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), is(OK + "\n"));

        Certificate cert = OpenSsh.certificate(hostCert);
        Fingerprint hostFp = OpenSsh.fingerprint(OpenSsh.pub(hostKey));
        // what ssh -v says it was shown and why it believed it
        assertThat(r.stderr(), containsString("debug1: Server host certificate: "
                + OpenSsh.certificateAlgorithm(OpenSsh.pub(hostKey)) + " " + hostFp.sha256() + ", serial " + cert.serial()
                + " ID \"" + cert.keyId() + "\" CA " + kind.sshName + " " + hostCaFingerprint.sha256() + " valid from "));
        assertThat(r.stderr(), Pattern.compile("debug1: Host '[^']+' is known and matches the "
                + Pattern.quote(hostFp.type()) + "-CERT host certificate\\.").matcher(r.stderr()).find(), is(true));
        assertThat(r.stderr(), not(containsString("Permanently added")));
        assertThat(OpenSsh.read(hosts), is(before));
    }

    @ParameterizedTest(name = "@cert-authority {0}")
    @ValueSource(strings = {"127.0.0.1", "[127.0.0.1]:PORT", "*"})
    void certAuthorityLineForAnotherCaFailsHostKeyVerification(String pattern) {
        Path hosts = knownHosts("known_hosts_foreign", pattern, foreignCaPublicKey);
        long mark = sshd.logMark();
        Commands.Result r = Login.to(sshd).keyAndCertificate(userKey, userCert).knownHosts(hosts, "yes").run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(255));
        assertThat(r.describe(), r.stdout(), not(containsString(OK)));
        String hostType = OpenSsh.fingerprint(OpenSsh.pub(hostKey)).type();
        assertThat(r.describe(), r.stderr(), containsString("No " + hostType + " host key is known for [127.0.0.1]:"
                + sshd.port() + " and you have requested strict checking.\r\nHost key verification failed.\r\n"));
        // the client gave up before authenticating
        assertThat(sshd.logSince(mark), not(containsString("publickey for")));
    }
}
