package dev.latchkey.engine.ssh.keys;

import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshPrivateKeyTest {
    @TempDir
    static Path dir;

    /** ssh-keygen's -t/-b pairs exercised in every private-key format. */
    private static final List<String[]> TYPES = List.of(
            new String[] {"rsa", "2048"}, new String[] {"ecdsa", "256"}, new String[] {"ecdsa", "384"},
            new String[] {"ecdsa", "521"}, new String[] {"ed25519", "0"});

    /** RFC 8410, section 10.3: an Ed25519 PKCS#8 key and its public key. */
    private static final String RFC8410_KEY = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
            -----END PRIVATE KEY-----
            """;
    private static final String RFC8410_PUBLIC = "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";

    private static Path rsaPem;

    @BeforeAll
    static void generate() {
        rsaPem = SshKeygen.generate(dir, "rsa-pem", "rsa", 2048, "-m", "PEM").privateKeyFile();
    }

    @Test
    void parsesOpenSshFormatAndDerivesThePublicKey() {
        for (String[] t : TYPES) {
            Path key = SshKeygen.generate(dir, "openssh-" + t[0] + t[1], t[0], Integer.parseInt(t[1])).privateKeyFile();
            assertTrue(TestFiles.read(key).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
            assertMatchesPub(key);
        }
    }

    @Test
    void parsesPemFormatsAndWritesThemBackIdentically() {
        for (String[] t : TYPES) {
            if (t[0].equals("ed25519")) {
                continue; // ssh-keygen writes Ed25519 in its own format whatever -m says
            }
            Path key = SshKeygen.generate(dir, "pem-" + t[0] + t[1], t[0], Integer.parseInt(t[1]), "-m", "PEM")
                    .privateKeyFile();
            String text = TestFiles.read(key);
            assertTrue(text.startsWith(t[0].equals("rsa") ? "-----BEGIN RSA PRIVATE KEY-----"
                    : "-----BEGIN EC PRIVATE KEY-----"));
            SshPrivateKey parsed = assertMatchesPub(key);
            // OpenSSL's PKCS#1/SEC1 output is what Vault (Go) writes too: byte for byte the same.
            assertEquals(text, parsed.toPem(), t[0] + t[1]);
        }
    }

    @Test
    void parsesPkcs8() {
        for (String[] t : TYPES) {
            if (t[0].equals("ed25519")) {
                continue;
            }
            Path key = SshKeygen.generate(dir, "pkcs8-" + t[0] + t[1], t[0], Integer.parseInt(t[1]), "-m", "PKCS8")
                    .privateKeyFile();
            assertTrue(TestFiles.read(key).startsWith("-----BEGIN PRIVATE KEY-----"));
            assertMatchesPub(key);
        }
        SshPrivateKey ed = SshPrivateKey.parse(RFC8410_KEY);
        assertEquals("ssh-ed25519", ed.type());
        byte[] expected = SshWire.writer().utf8("ssh-ed25519")
                .string(HexFormat.of().parseHex(RFC8410_PUBLIC)).toByteArray();
        assertEquals(SshPublicKey.fromWire(expected), ed.publicKey());
        // and ssh-keygen agrees once we write it in OpenSSH's format
        Path out = TestFiles.writePrivate(dir.resolve("rfc8410"), ed.toOpenSshPem());
        assertEquals(ed.publicKey().toLine(), SshKeygen.run("-y", "-f", out.toString()).ok().stdout().strip());
    }

    @Test
    void refusesEncryptedKeys() {
        String[][] variants = {{"rsa", "2048"}, {"rsa", "2048", "-m", "PEM"}, {"ecdsa", "256", "-m", "PEM"},
            {"ecdsa", "256", "-m", "PKCS8"}, {"ed25519", "0"}};
        int i = 0;
        for (String[] v : variants) {
            Path key = dir.resolve("encrypted" + i++);
            List<String> args = new ArrayList<>(List.of("-q", "-t", v[0], "-N", "correct horse", "-f", key.toString()));
            if (!v[1].equals("0")) {
                args.addAll(List.of("-b", v[1]));
            }
            args.addAll(Arrays.asList(v).subList(2, v.length));
            SshKeygen.run(args.toArray(String[]::new)).ok();
            SshKeyException e = assertThrows(SshKeyException.class, () -> SshPrivateKey.parse(TestFiles.read(key)),
                    String.join(" ", v));
            assertEquals("encrypted private keys are not supported", e.getMessage());
        }
    }

    @Test
    void detectsCheckIntMismatch() {
        Path key = SshKeygen.generate(dir, "checkint", "ed25519", 0).privateKeyFile();
        byte[] blob = pemBody(TestFiles.read(key));
        int offset = privateSectionOffset(blob);
        blob[offset + 7] ^= 1; // last byte of the second check-int
        SshKeyException e = assertThrows(SshKeyException.class,
                () -> SshPrivateKey.parse(PemBlock.encode("OPENSSH PRIVATE KEY", blob)));
        assertEquals("OpenSSH private key check-ints do not match", e.getMessage());
    }

    @Test
    void refusesMismatchedPublicHalfInOpenSshFormat() {
        SshPrivateKey a = SshKeyGenerator.generate("ed25519", 0);
        SshPrivateKey b = SshKeyGenerator.generate("ed25519", 0);
        byte[] blobA = pemBody(a.toOpenSshPem());
        byte[] blobB = pemBody(b.toOpenSshPem());
        // same layout and lengths: splice B's public key blob into A's file
        int start = privateSectionOffset(blobA) - 4 - 51 - 4;
        System.arraycopy(blobB, start, blobA, start, 55);
        assertEquals("OpenSSH private key does not match its public key", assertThrows(SshKeyException.class,
                () -> SshPrivateKey.parse(PemBlock.encode("OPENSSH PRIVATE KEY", blobA))).getMessage());
    }

    @Test
    void rejectsMalformedInputCleanly() {
        assertMessage("private key is empty", " \n");
        assertMessage("no PEM block found", "ssh-rsa AAAA");
        assertMessage("PEM block has no END line", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n");
        assertMessage("PEM END line does not match its BEGIN line",
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertMessage("PEM block is not valid base64",
                "-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----\n");
        assertMessage("malformed PKCS#1 RSA private key",
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertMessage("malformed SEC1 EC private key",
                "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n");
        assertMessage("not an openssh-key-v1 private key",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        assertMessage("unsupported PEM block type: CERTIFICATE",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    }

    @Test
    void refusesDsaKeys() {
        Commands.Result r = SshKeygen.run("-q", "-t", "dsa", "-N", "", "-f", dir.resolve("dsa").toString());
        Assumptions.assumeTrue(r.exitCode() == 0, "installed ssh-keygen cannot make DSA keys");
        assertMessage("DSA private keys are not supported", TestFiles.read(dir.resolve("dsa")));
        SshKeygen.run("-q", "-t", "dsa", "-m", "PEM", "-N", "", "-f", dir.resolve("dsa-pem").toString()).ok();
        assertMessage("unsupported PEM block type: DSA PRIVATE KEY", TestFiles.read(dir.resolve("dsa-pem")));
    }

    @Test
    void refusesInconsistentRsaKeys() {
        String text = TestFiles.read(rsaPem);
        byte[] der = pemBody(text);
        der[der.length - 1] ^= 1; // the CRT coefficient
        SshKeyException e = assertThrows(SshKeyException.class,
                () -> SshPrivateKey.parse(PemBlock.encode("RSA PRIVATE KEY", der)));
        assertEquals("RSA private key is inconsistent", e.getMessage());
    }

    @Test
    void truncatedAndCorruptedKeysFailWithSshKeyException() {
        Random random = new Random(4253);
        for (SshPrivateKey key : List.of(SshPrivateKey.parse(TestFiles.read(rsaPem)),
                SshKeyGenerator.generate("ec", 384), SshKeyGenerator.generate("ed25519", 0))) {
            for (String pem : List.of(key.toPem(), key.toOpenSshPem())) {
                PemBlock block = PemBlock.decode(pem);
                byte[] body = block.bytes();
                for (int len = 0; len < body.length; len += 1 + len / 64) {
                    String cut = PemBlock.encode(block.type(), Arrays.copyOf(body, len));
                    assertThrows(SshKeyException.class, () -> SshPrivateKey.parse(cut), block.type() + " " + len);
                }
                for (int i = 0; i < 100; i++) {
                    byte[] bad = body.clone();
                    bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
                    try {
                        SshPrivateKey.parse(PemBlock.encode(block.type(), bad));
                    } catch (SshKeyException expected) {
                        // rejected with a message
                    } catch (RuntimeException e) {
                        fail(block.type() + ": " + e);
                    }
                }
            }
        }
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        SshPrivateKey key = SshKeyGenerator.generate("ed25519", 0);
        String s = key.toString();
        assertTrue(s.contains(key.publicKey().sha256Fingerprint()));
        assertFalse(s.contains(Base64.getEncoder().encodeToString(key.publicKey().wire())));
    }

    private static SshPrivateKey assertMatchesPub(Path key) {
        SshPrivateKey parsed = SshPrivateKey.parse(TestFiles.read(key));
        SshPublicKey expected = SshPublicKey.parse(TestFiles.read(Path.of(key + ".pub")));
        assertEquals(expected, parsed.publicKey(), key.getFileName().toString());
        assertEquals(expected.type(), parsed.type());
        return parsed;
    }

    private static byte[] pemBody(String pem) {
        return PemBlock.decode(pem).bytes();
    }

    /** Offset of the first check-int in an openssh-key-v1 blob. */
    private static int privateSectionOffset(byte[] blob) {
        SshWire.Reader r = SshWire.reader(Arrays.copyOfRange(blob, 15, blob.length));
        r.string();
        r.string();
        r.string();
        r.uint32();
        r.string();
        return 15 + r.position() + 4;
    }

    private static void assertMessage(String expected, String text) {
        assertEquals(expected, assertThrows(SshKeyException.class, () -> SshPrivateKey.parse(text)).getMessage());
    }
}
