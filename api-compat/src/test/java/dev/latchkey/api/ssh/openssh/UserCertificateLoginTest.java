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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.latchkey.api.ssh.openssh.LatchkeyCa.decimalSerial;
import static dev.latchkey.api.ssh.openssh.OpenSsh.user;
import static dev.latchkey.api.testing.JsonText.quote;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The CA end to end: user certificates Latchkey signs (or issues) for keys made by ssh-keygen
 * are trusted by a real OpenSSH server whose {@code TrustedUserCAKeys} holds Latchkey's
 * {@code public_key}; and that server refuses, for the reason it logs, a certificate for another
 * principal, an expired one, and one from another Latchkey CA. Runs once per CA key kind.
 */
@ParameterizedClass(name = "CA {0}")
@EnumSource(CaKind.class)
class UserCertificateLoginTest {
    private static final String OK = "latchkey-ok";
    private static final String DENIED = "Permission denied (publickey).";

    @TempDir
    static Path dir;
    /** ssh-keygen type → private key, shared by every CA kind. */
    private static final Map<String, SshKeygen.KeyPair> USER_KEYS = new HashMap<>();

    // per CA kind (set up by startCa)
    private static Path work;
    private static String mount;
    private static String caPublicKey;
    private static Path trustedCaKeys;
    private static SshKeygen.Fingerprint caFingerprint;
    private static SshdProcess sshd;
    private static Path knownHosts;

    @Parameter
    CaKind kind;

    @BeforeAll
    static void userKeys() {
        SshdProcess.requireOpenSsh();
        for (String type : List.of("ed25519", "rsa", "ecdsa")) {
            USER_KEYS.put(type, SshKeygen.generate(dir, "user_" + type, type, 0));
        }
    }

    @BeforeParameterizedClassInvocation
    static void startCa(CaKind caKind) {
        work = dir.resolve(caKind.name());
        mount = LatchkeyCa.mountWithCa("oss-user-" + caKind.name().toLowerCase(Locale.ROOT).replace('_', '-'), caKind);
        loginRole(mount);
        caPublicKey = LatchkeyCa.publicKey(mount);
        trustedCaKeys = TestFiles.write(work.resolve("trusted_user_ca_keys"), caPublicKey);
        caFingerprint = SshKeygen.fingerprint(trustedCaKeys);
        knownHosts = work.resolve("known_hosts");
        sshd = SshdProcess.builder(work.resolve("sshd")).trustedUserCaKeys(trustedCaKeys).start();
    }

    @AfterParameterizedClassInvocation
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
            sshd = null;
        }
    }

    /** A CA role for the current user (and someone-else, for the principal refusal) with a working session. */
    private static void loginRole(String mountPath) {
        Requests.role(mountPath, "login", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"allowed_users\":" + quote(user() + ",someone-else") + ",\"allowed_extensions\":\"permit-pty\","
                + "\"default_extensions\":{\"permit-pty\":\"\"},\"ttl\":\"10m\"}");
    }

    /** Signs {@code key}'s public key on {@code mountPath} and writes the certificate next to the work files. */
    private static Path signUserKey(String mountPath, SshKeygen.KeyPair key, String name, String extraJson) {
        JsonPath answer = LatchkeyCa.sign(mountPath, "login", "{\"public_key\":" + quote(key.publicKeyText())
                + extraJson + "}");
        return TestFiles.write(work.resolve(name + "-cert.pub"), answer.getString("data.signed_key"));
    }

    private static Login login(Path key, Path cert) {
        return Login.to(sshd).keyAndCertificate(key, cert).knownHosts(knownHosts, "no");
    }

    private static void assertRefused(Commands.Result r) {
        assertThat(r.describe(), r.exitCode(), is(255));
        assertThat(r.describe(), r.stderr(), containsString(user() + "@127.0.0.1: " + DENIED));
        assertThat(r.describe(), r.stdout(), not(containsString(OK)));
    }

    /** Logs in with the certificate, expects the refusal, and finds sshd's reason and the line naming the certificate. */
    private void assertRefusedBecause(String reason, SshKeygen.KeyPair key, Path certFile, KeygenListing cert) {
        long mark = sshd.logMark();
        assertRefused(login(key.privateKeyFile(), certFile).run("echo", OK));
        String log = sshd.awaitLog(mark, "Failed publickey for " + user());
        assertLogLine(log, "^Certificate invalid: " + Pattern.quote(reason) + "$");
        assertLogLine(log, failedLine(key, cert, kind.label, caFingerprint.sha256()));
        assertThat(log, not(containsString("Accepted")));
    }

    private static void assertLogLine(String log, String regex) {
        assertThat(log, Pattern.compile(regex, Pattern.MULTILINE).matcher(log).find(), is(true));
    }

    /** sshd's VERBOSE line naming the certificate it rejected and the CA that signed it. */
    private static String failedLine(SshKeygen.KeyPair key, KeygenListing cert, String caLabel, String caSha256) {
        SshKeygen.Fingerprint userFp = key.fingerprint();
        return "^Failed publickey for " + Pattern.quote(user()) + " from 127\\.0\\.0\\.1 port \\d+ ssh2: "
                + Pattern.quote(userFp.label() + "-CERT " + userFp.sha256() + " ID " + cert.keyId() + " (serial "
                + cert.serial() + ") CA " + caLabel + " " + caSha256) + "$";
    }

    // ---- the CA sshd is told to trust ----

    @Test
    void caIsOfTheRequestedKindAndItsPublicKeyIsAnOpenSshKeyLine() {
        assertThat(caPublicKey, startsWith(kind.sshName + " "));
        assertThat(caPublicKey, endsWith("\n"));
        assertThat(caFingerprint.label(), is(kind.label));
        assertThat(caFingerprint.bits(), is(kind.bits));
        assertThat(LatchkeyCa.configCaPublicKey(mount), is(caPublicKey));
    }

    // ---- signed user keys log in ----

    @ParameterizedTest(name = "user key {0}")
    @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
    void signedUserKeyLogsInAndRunsTheCommand(String userKeyType) {
        SshKeygen.KeyPair key = USER_KEYS.get(userKeyType);
        Path certFile = signUserKey(mount, key, "signed_" + userKeyType, ",\"valid_principals\":" + quote(user()));
        KeygenListing cert = SshKeygen.inspect(certFile);
        SshKeygen.Fingerprint userFp = key.fingerprint();
        assertThat(cert.type(), endsWith("-cert-v01@openssh.com user certificate"));
        assertThat(cert.caLabel(), is(kind.label));
        assertThat(cert.caFingerprint(), is(caFingerprint.sha256()));
        assertThat(cert.caAlgorithm(), is(kind.signatureAlgorithm));
        assertThat(cert.keyId(), is("vault-token-" + key.blobSha256Hex()));
        assertThat(cert.principals(), is(List.of(user())));
        assertThat(cert.extensions(), is(List.of("permit-pty")));
        assertThat(cert.criticalOptions(), is(List.of()));

        long mark = sshd.logMark();
        Commands.Result r = login(key.privateKeyFile(), certFile).run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), is(OK + "\n"));

        String log = sshd.awaitLog(mark, "Accepted publickey for " + user());
        assertThat(log, containsString("Accepted certificate ID \"" + cert.keyId() + "\" (serial " + cert.serial()
                + ") signed by " + kind.label + " CA " + caFingerprint.sha256() + " via " + trustedCaKeys));
        assertLogLine(log, "^Accepted publickey for " + Pattern.quote(user()) + " from 127\\.0\\.0\\.1 port \\d+ ssh2: "
                + Pattern.quote(userFp.label() + "-CERT " + userFp.sha256() + " ID " + cert.keyId() + " (serial "
                + cert.serial() + ") CA " + kind.label + " " + caFingerprint.sha256()) + "$");
    }

    // ---- refusals, each for the reason sshd logs ----

    @Test
    void certificateForAnotherPrincipalIsRefused() {
        SshKeygen.KeyPair key = USER_KEYS.get("ed25519");
        Path certFile = signUserKey(mount, key, "someone_else", ",\"valid_principals\":\"someone-else\"");
        KeygenListing cert = SshKeygen.inspect(certFile);
        assertThat(cert.principals(), is(List.of("someone-else")));
        assertRefusedBecause("name is not a listed principal", key, certFile, cert);
    }

    @Test
    void expiredCertificateIsRefused() {
        SshKeygen.KeyPair key = USER_KEYS.get("ed25519");
        long before = System.currentTimeMillis() / 1000;
        Path certFile = signUserKey(mount, key, "expired", ",\"valid_principals\":" + quote(user()) + ",\"ttl\":\"1s\"");
        long after = System.currentTimeMillis() / 1000;
        KeygenListing cert = SshKeygen.inspect(certFile);
        // as Vault: valid before = now + TTL (1 s); valid after = now - 30 s (role default not_before_duration)
        assertThat(cert.validTo().getEpochSecond(), greaterThanOrEqualTo(before + 1));
        assertThat(cert.validTo().getEpochSecond(), lessThanOrEqualTo(after + 1));
        assertThat(cert.validFrom().getEpochSecond(), greaterThanOrEqualTo(before - 30));
        assertThat(cert.validFrom().getEpochSecond(), lessThanOrEqualTo(after - 30));

        // sshd calls a certificate expired once its clock reaches "valid before": at most ~2 s from now
        long waitMillis = cert.validTo().toEpochMilli() + 100 - System.currentTimeMillis();
        if (waitMillis > 0) {
            SshdProcess.pause(waitMillis);
        }
        assertThat(Instant.now().isAfter(cert.validTo()), is(true));
        assertRefusedBecause("expired", key, certFile, cert);
    }

    @Test
    void certificateFromAnotherLatchkeyCaIsRefused() {
        // a second mount with its own CA of the same kind; same user key, same role, same principal
        String foreign = LatchkeyCa.mountWithCa("oss-foreign-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-'), kind);
        loginRole(foreign);
        SshKeygen.Fingerprint foreignFp = SshKeygen.fingerprint(LatchkeyCa.publicKey(foreign));
        assertThat(foreignFp.sha256(), not(is(caFingerprint.sha256())));

        SshKeygen.KeyPair key = USER_KEYS.get("ed25519");
        Path foreignCert = signUserKey(foreign, key, "foreign", ",\"valid_principals\":" + quote(user()));
        Path trustedCert = signUserKey(mount, key, "trusted", ",\"valid_principals\":" + quote(user()));
        KeygenListing cert = SshKeygen.inspect(foreignCert);
        assertThat(cert.caLabel(), is(kind.label));
        assertThat(cert.caFingerprint(), is(foreignFp.sha256()));

        // VERBOSE does not say why a CA is not trusted; DEBUG2 does, so this refusal gets its own sshd
        try (SshdProcess debug = SshdProcess.builder(work.resolve("sshd-debug2")).trustedUserCaKeys(trustedCaKeys)
                .logLevel("DEBUG2").start()) {
            Path hosts = work.resolve("known_hosts_debug2");
            long mark = debug.logMark();
            assertRefused(Login.to(debug).keyAndCertificate(key.privateKeyFile(), foreignCert).knownHosts(hosts, "no").run("echo", OK));
            String log = debug.awaitLog(mark, "Failed publickey for " + user());
            assertLogLine(log, "^debug2: user_cert_trusted_ca: CA " + kind.label + " " + Pattern.quote(foreignFp.sha256())
                    + " is not listed in " + Pattern.quote(trustedCaKeys.toString()) + ": key not found$");
            assertLogLine(log, failedLine(key, cert, kind.label, foreignFp.sha256()));
            assertThat(log, not(containsString("Accepted publickey")));

            // control: the same key certified by the trusted mount gets in on the same server
            Commands.Result ok = Login.to(debug).keyAndCertificate(key.privateKeyFile(), trustedCert)
                    .knownHosts(hosts, "no").run("echo", OK);
            assertThat(ok.describe(), ok.exitCode(), is(0));
            assertThat(ok.describe(), ok.stdout(), is(OK + "\n"));
        }
    }

    // ---- issued key pairs log in ----

    @ParameterizedTest(name = "key_type {0}")
    @ValueSource(strings = {"ed25519", "rsa", "ec"})
    void issuedKeyPairLogsIn(String keyType) {
        JsonPath answer = LatchkeyCa.issue(mount, "login", "{\"key_type\":" + quote(keyType) + ",\"valid_principals\":"
                + quote(user()) + "}");
        assertThat(answer.getString("data.private_key_type"), is(keyType));
        String pem = answer.getString("data.private_key");
        Path key = TestFiles.writePrivate(work.resolve("issued_" + keyType), pem.endsWith("\n") ? pem : pem + "\n");
        Path certFile = TestFiles.write(work.resolve("issued_" + keyType + "-cert.pub"), answer.getString("data.signed_key"));
        KeygenListing cert = SshKeygen.inspect(certFile);
        assertThat(cert.serial(), is(decimalSerial(answer.getString("data.serial_number"))));
        assertThat(cert.principals(), is(List.of(user())));

        long mark = sshd.logMark();
        Commands.Result r = login(key, certFile).run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), is(OK + "\n"));
        String log = sshd.awaitLog(mark, "Accepted publickey for " + user());
        assertThat(log, containsString("Accepted certificate ID \"" + cert.keyId() + "\" (serial " + cert.serial()
                + ") signed by " + kind.label + " CA " + caFingerprint.sha256()));
    }
}
