package dev.latchkey.engine.ssh.keys;

import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates we sign, checked field by field by {@code ssh-keygen -L} (which verifies them). */
class SshCertificateTest {
    @TempDir
    static Path dir;

    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final long VALID_AFTER = 1_700_000_000L;
    private static final long VALID_BEFORE = 1_700_086_400L;
    private static final Map<String, String> CRITICAL =
            Map.of("source-address", "127.0.0.1/32", "force-command", "/bin/date");
    private static final Map<String, String> EXTENSIONS = Map.of("permit-pty", "", "permit-X11-forwarding", "");

    private static final Map<String, SshPrivateKey> CAS = new LinkedHashMap<>();
    private static final Map<String, SshPublicKey> SUBJECTS = new LinkedHashMap<>();
    private static final Map<String, Path> SUBJECT_FILES = new LinkedHashMap<>();
    private static int counter;

    @BeforeAll
    static void keys() {
        CAS.put("rsa2048", SshKeyGenerator.generate("rsa", 2048));
        CAS.put("p256", SshKeyGenerator.generate("ec", 256));
        CAS.put("p384", SshKeyGenerator.generate("ecdsa-sha2-nistp384", 0));
        CAS.put("p521", SshKeyGenerator.generate("ec", 521));
        CAS.put("ed25519", SshKeyGenerator.generate("ed25519", 0));
        for (String[] s : new String[][] {{"rsa", "2048"}, {"ecdsa", "256"}, {"ed25519", "0"}}) {
            Path pub = SshKeygen.generate(dir, "subject-" + s[0], s[0], Integer.parseInt(s[1])).publicKeyFile();
            SUBJECTS.put(s[0], SshPublicKey.parse(TestFiles.read(pub)));
            SUBJECT_FILES.put(s[0], pub);
        }
    }

    @Test
    void everyCaSignsEverySubjectAsUserAndHost() {
        for (var ca : CAS.entrySet()) {
            String alg = SshSigner.defaultAlgorithm(ca.getValue(), "default");
            for (var subject : SUBJECTS.entrySet()) {
                for (SshCertificateType type : SshCertificateType.values()) {
                    checkFullCertificate(ca.getValue(), alg, subject.getValue(), type);
                }
            }
        }
    }

    @Test
    void rsaCaSignsWithShaOneAndSha512() {
        SshPrivateKey ca = CAS.get("rsa2048");
        for (String alg : List.of("ssh-rsa", "rsa-sha2-256", "rsa-sha2-512")) {
            SshCertificate cert = checkFullCertificate(ca, alg, SUBJECTS.get("ed25519"), SshCertificateType.USER);
            assertEquals(alg, cert.signatureAlgorithm());
        }
        // the empty algorithm_signer of an old role means SHA-1
        assertEquals("ssh-rsa", SshSigner.defaultAlgorithm(ca, ""));
    }

    @Test
    void rsa4096Ca() {
        SshPrivateKey ca = SshKeyGenerator.generate("ssh-rsa", 0);
        checkFullCertificate(ca, "rsa-sha2-256", SUBJECTS.get("rsa"), SshCertificateType.USER);
        checkFullCertificate(ca, "rsa-sha2-512", SUBJECTS.get("ecdsa"), SshCertificateType.HOST);
    }

    @Test
    void certTypeFollowsTheSubjectKeyNotTheSigner() {
        SshCertificate cert = new SshCertificateBuilder(SUBJECTS.get("rsa")).sign(CAS.get("ed25519"), "ssh-ed25519");
        assertEquals("ssh-rsa-cert-v01@openssh.com", cert.type());
        cert = new SshCertificateBuilder(SUBJECTS.get("ed25519")).sign(CAS.get("rsa2048"), "rsa-sha2-512");
        assertEquals("ssh-ed25519-cert-v01@openssh.com", cert.type());
        assertTrue(cert.toLine().startsWith("ssh-ed25519-cert-v01@openssh.com AAAA"));
        assertTrue(cert.toLine().endsWith("\n"));
        assertEquals(1, cert.toLine().split(" ").length - 1);
    }

    @Test
    void validityFormsAndEmptyLists() {
        SshPrivateKey ca = CAS.get("ed25519");
        SshPublicKey subject = SUBJECTS.get("ed25519");
        SshCertificate forever = new SshCertificateBuilder(subject).keyId("k").sign(ca, "ssh-ed25519");
        List<String> lines = listing(forever);
        assertTrue(lines.contains("Valid: forever"), lines::toString);
        assertTrue(lines.contains("Principals: (none)"), lines::toString);
        assertTrue(lines.contains("Critical Options: (none)"), lines::toString);
        assertTrue(lines.contains("Extensions: (none)"), lines::toString);
        SshCertificate after = new SshCertificateBuilder(subject).validAfter(VALID_AFTER).sign(ca, "ssh-ed25519");
        assertTrue(listing(after).contains("Valid: after " + time(VALID_AFTER)));
        assertEquals(SshCertificate.FOREVER, SshCertificate.parse(after.toLine()).validBefore());
    }

    @Test
    void serialIsUnsigned64Bit() {
        long serial = 0xFEDCBA9876543210L;
        SshCertificate cert = new SshCertificateBuilder(SUBJECTS.get("ecdsa")).serial(serial)
                .sign(CAS.get("p256"), "ecdsa-sha2-nistp256");
        assertEquals("fedcba9876543210", cert.serialHex());
        assertTrue(listing(cert).contains("Serial: " + Long.toUnsignedString(serial)));
        assertEquals(serial, SshCertificate.parse(cert.toLine()).serial());
    }

    @Test
    void corruptedSignatureIsRejectedBySshKeygenAndByUs() {
        SshCertificate cert = new SshCertificateBuilder(SUBJECTS.get("ed25519")).keyId("x")
                .sign(CAS.get("p384"), "ecdsa-sha2-nistp384");
        byte[] wire = cert.wire();
        byte[] badSignature = wire.clone();
        badSignature[badSignature.length - 10] ^= 1;
        assertRejected(cert, badSignature);
        // a change in a signed field (the serial's last byte) must break the signature too
        byte[] badField = wire.clone();
        int serialEnd = 4 + cert.type().length() + 4 + 32 + cert.key().fields().length + 8;
        badField[serialEnd - 1] ^= 1;
        assertRejected(cert, badField);
    }

    @Test
    void parsesCertificatesSignedBySshKeygen() {
        int i = 0;
        for (var ca : CAS.entrySet()) {
            Path caFile = TestFiles.writePrivate(dir.resolve("keygen-ca-" + i++), ca.getValue().toPem());
            Path subject = subjectCopy(i);
            SshKeygen.run("-q", "-s", caFile.toString(), "-I", "made by ssh-keygen", "-n", "root,admin",
                    "-z", "77", "-V", "20240101000000:20240201000000", "-O", "clear", "-O", "permit-pty",
                    "-O", "force-command=/usr/bin/true", subject.toString()).ok();
            SshCertificate cert = SshCertificate.parse(TestFiles.read(Path.of(
                    subject.toString().replace(".pub", "-cert.pub"))));
            assertEquals(ca.getValue().publicKey(), cert.signatureKey());
            assertEquals("made by ssh-keygen", cert.keyId());
            assertEquals(List.of("root", "admin"), cert.principals());
            assertEquals(77, cert.serial());
            assertEquals(Map.of("force-command", "/usr/bin/true"), cert.criticalOptions());
            assertEquals(Map.of("permit-pty", ""), cert.extensions());
            assertEquals(Instant.parse("2024-01-01T00:00:00Z").getEpochSecond(), cert.validAfter());
            assertEquals(SUBJECTS.get("ed25519"), cert.key());
            if (ca.getKey().startsWith("rsa")) {
                assertEquals("rsa-sha2-512", cert.signatureAlgorithm()); // OpenSSH's choice for RSA CAs
            }
        }
    }

    @Test
    void optionsAreEncodedLikeOpenSsh() {
        SshCertificate cert = new SshCertificateBuilder(SUBJECTS.get("ed25519")).criticalOptions(CRITICAL)
                .extensions(EXTENSIONS).sign(CAS.get("ed25519"), "ssh-ed25519");
        assertEquals(List.of("force-command", "source-address"), new ArrayList<>(cert.criticalOptions().keySet()));
        assertEquals(List.of("permit-X11-forwarding", "permit-pty"), new ArrayList<>(cert.extensions().keySet()));
        byte[] expected = SshWire.writer()
                .utf8("force-command").string(SshWire.writer().utf8("/bin/date").toByteArray())
                .utf8("source-address").string(SshWire.writer().utf8("127.0.0.1/32").toByteArray())
                .toByteArray();
        assertArrayEquals(expected, CertOptions.encode(cert.criticalOptions()));
        byte[] flags = SshWire.writer().utf8("permit-X11-forwarding").string(new byte[0])
                .utf8("permit-pty").string(new byte[0]).toByteArray();
        assertArrayEquals(flags, CertOptions.encode(cert.extensions()));
    }

    @Test
    void nonceIsRandomUnlessGiven() {
        SshCertificateBuilder b = new SshCertificateBuilder(SUBJECTS.get("ed25519"));
        byte[] n1 = b.sign(CAS.get("ed25519"), "ssh-ed25519").nonce();
        byte[] n2 = b.sign(CAS.get("ed25519"), "ssh-ed25519").nonce();
        assertEquals(32, n1.length);
        assertNotEquals(Base64.getEncoder().encodeToString(n1), Base64.getEncoder().encodeToString(n2));
        byte[] fixed = new byte[32];
        SshCertificate a = b.nonce(fixed).sign(CAS.get("ed25519"), "ssh-ed25519");
        SshCertificate c = b.nonce(fixed).sign(CAS.get("ed25519"), "ssh-ed25519");
        assertArrayEquals(a.wire(), c.wire());
    }

    @Test
    void refusesAlgorithmsThatDoNotFitTheCa() {
        SshCertificateBuilder b = new SshCertificateBuilder(SUBJECTS.get("ed25519"));
        assertThrows(SshKeyException.class, () -> b.sign(CAS.get("ed25519"), "rsa-sha2-256"));
        assertThrows(SshKeyException.class, () -> b.sign(CAS.get("p256"), "ecdsa-sha2-nistp521"));
    }

    @Test
    void parserRejectsGarbageCleanly() {
        SshCertificate cert = new SshCertificateBuilder(SUBJECTS.get("rsa")).principals(List.of("a"))
                .criticalOptions(CRITICAL).extensions(EXTENSIONS).sign(CAS.get("p256"), "ecdsa-sha2-nistp256");
        byte[] wire = cert.wire();
        for (int len = 0; len < wire.length; len += 3) {
            byte[] cut = Arrays.copyOf(wire, len);
            assertThrows(SshKeyException.class, () -> SshCertificate.fromWire(cut));
        }
        assertEquals("unsupported certificate type: ssh-ed25519", assertThrows(SshKeyException.class,
                () -> SshCertificate.parse(SUBJECTS.get("ed25519").toLine())).getMessage());
        String wrongType = "ssh-ed25519-cert-v01@openssh.com " + cert.toLine().split(" ")[1];
        assertThrows(SshKeyException.class, () -> SshCertificate.parse(wrongType));
    }

    /** Signs a fully populated certificate and compares ssh-keygen's listing with the inputs. */
    private static SshCertificate checkFullCertificate(SshPrivateKey ca, String alg, SshPublicKey subject,
            SshCertificateType type) {
        long serial = 1_000_000_007L + counter++;
        List<String> principals = type == SshCertificateType.USER
                ? List.of("zed", "alice", "bob") : List.of("host.example.com", "10.0.0.1");
        String keyId = "vault-root-" + subject.publicKeyHash();
        SshCertificate cert = new SshCertificateBuilder(subject).serial(serial).certType(type).keyId(keyId)
                .principals(principals).validAfter(VALID_AFTER).validBefore(VALID_BEFORE)
                .criticalOptions(CRITICAL).extensions(EXTENSIONS).sign(ca, alg);
        String label = ca.type() + " " + alg + " -> " + subject.type() + " " + type.label();

        List<String> expected = new ArrayList<>(List.of(
                "Type: " + subject.keyType().certTypeName() + " " + type.label() + " certificate",
                "Public key: " + keygenName(subject) + "-CERT " + subject.sha256Fingerprint(),
                "Signing CA: " + keygenName(ca.publicKey()) + " " + ca.publicKey().sha256Fingerprint()
                        + " (using " + alg + ")",
                "Key ID: \"" + keyId + "\"",
                "Serial: " + serial,
                "Valid: from " + time(VALID_AFTER) + " to " + time(VALID_BEFORE),
                "Principals:"));
        expected.addAll(principals);
        expected.add("Critical Options:");
        expected.add("force-command /bin/date");
        expected.add("source-address 127.0.0.1/32");
        expected.add("Extensions:");
        expected.add("permit-X11-forwarding");
        expected.add("permit-pty");
        assertEquals(expected, listing(cert), label);

        SshCertificate parsed = SshCertificate.parse(cert.toLine());
        assertArrayEquals(cert.wire(), parsed.wire());
        assertEquals(subject, parsed.key());
        assertEquals(serial, parsed.serial());
        assertEquals(type, parsed.certType());
        assertEquals(keyId, parsed.keyId());
        assertEquals(principals, parsed.principals());
        assertEquals(VALID_AFTER, parsed.validAfter());
        assertEquals(VALID_BEFORE, parsed.validBefore());
        assertEquals(cert.criticalOptions(), parsed.criticalOptions());
        assertEquals(cert.extensions(), parsed.extensions());
        assertEquals(ca.publicKey(), parsed.signatureKey());
        assertEquals(alg, parsed.signatureAlgorithm());
        return cert;
    }

    /** ssh-keygen -L output after the file name line, stripped of indentation. */
    private static List<String> listing(SshCertificate cert) {
        return SshKeygen.inspect(cert.toLine()).lines();
    }

    private static void assertRejected(SshCertificate cert, byte[] wire) {
        String line = cert.type() + " " + Base64.getEncoder().encodeToString(wire) + "\n";
        Path file = TestFiles.write(dir.resolve("bad" + counter++ + "-cert.pub"), line);
        assertNotEquals(0, SshKeygen.run("-L", "-f", file.toString()).exitCode());
        assertEquals("certificate signature does not verify",
                assertThrows(SshKeyException.class, () -> SshCertificate.parse(line)).getMessage());
    }

    /** ssh-keygen's display names: RSA, ECDSA, ED25519. */
    private static String keygenName(SshPublicKey key) {
        return key.keyClass().toUpperCase(Locale.ROOT);
    }

    private static String time(long unixSeconds) {
        return LOCAL_TIME.format(Instant.ofEpochSecond(unixSeconds));
    }

    /** A fresh copy of the Ed25519 subject's .pub, so each ssh-keygen -s writes its own -cert.pub. */
    private static Path subjectCopy(int i) {
        return TestFiles.write(dir.resolve("copy" + i + ".pub"), TestFiles.read(SUBJECT_FILES.get("ed25519")));
    }
}
