package dev.latchkey.engine.ssh.keys;

import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.MessageDigest;
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

class SshPublicKeyTest {
    @TempDir
    static Path dir;

    /** One ssh-keygen key per case: its .pub path, expected class and bits. */
    record Case(String type, Path pub, String keyClass, int bits) {
        String text() {
            return TestFiles.read(pub);
        }

        byte[] blob() {
            return Base64.getDecoder().decode(text().split(" ")[1].strip());
        }
    }

    private static final List<Case> CASES = new ArrayList<>();
    private static Case dsa;

    @BeforeAll
    static void generateKeys() {
        CASES.add(make("ssh-rsa", "rsa", 2048, "rsa"));
        CASES.add(make("ssh-rsa", "rsa", 3072, "rsa"));
        CASES.add(make("ecdsa-sha2-nistp256", "ecdsa", 256, "ecdsa"));
        CASES.add(make("ecdsa-sha2-nistp384", "ecdsa", 384, "ecdsa"));
        CASES.add(make("ecdsa-sha2-nistp521", "ecdsa", 521, "ecdsa"));
        CASES.add(make("ssh-ed25519", "ed25519", 0, "ed25519"));
        // DSA left OpenSSH's default build in 9.8; test it where ssh-keygen still makes it.
        Commands.Result r = SshKeygen.run("-q", "-t", "dsa", "-N", "", "-f", dir.resolve("dsa").toString());
        if (r.exitCode() == 0) {
            dsa = new Case("ssh-dss", dir.resolve("dsa.pub"), "dsa", 1024);
            CASES.add(dsa);
        }
    }

    private static Case make(String type, String keygenType, int bits, String keyClass) {
        Path key = SshKeygen.generate(dir, keygenType + bits, keygenType, bits).privateKeyFile();
        return new Case(type, Path.of(key + ".pub"), keyClass, bits == 0 ? 256 : bits);
    }

    @Test
    void parsesSshKeygenKeysLikeSshKeygen() throws Exception {
        for (Case c : CASES) {
            String text = c.text();
            SshPublicKey key = SshPublicKey.parse(text);
            String[] tokens = text.split(" ");
            assertEquals(c.type(), key.type());
            assertEquals(tokens[0] + " " + tokens[1], key.toLine());
            assertArrayEquals(c.blob(), key.wire());
            assertEquals(SshKeygen.fingerprint(c.pub()).sha256(), key.sha256Fingerprint(), c.type());
            String keygenBits = SshKeygen.run("-l", "-f", c.pub().toString()).ok().stdout().split(" ")[0];
            assertEquals(Integer.parseInt(keygenBits), key.bits(), c.type());
            assertEquals(c.bits(), key.bits());
            assertEquals(c.keyClass(), key.keyClass());
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.blob()));
            assertEquals(hash, key.publicKeyHash());
            assertEquals(key, SshPublicKey.fromWire(c.blob()));
        }
    }

    @Test
    void dsaIsCoveredWhenSshKeygenSupportsIt() {
        Assumptions.assumeTrue(dsa != null, "installed ssh-keygen cannot make DSA keys");
        assertEquals("dsa", SshPublicKey.parse(dsa.text()).keyClass());
    }

    @Test
    void acceptsBareBase64AndLinesWithoutComment() {
        for (Case c : CASES) {
            String b64 = c.text().split(" ")[1];
            SshPublicKey expected = SshPublicKey.fromWire(c.blob());
            assertEquals(expected, SshPublicKey.parse(b64));
            assertEquals(expected, SshPublicKey.parse(b64 + "\n"));
            assertEquals(expected, SshPublicKey.parse(c.type() + " " + b64 + "\n"));
            assertEquals(expected, SshPublicKey.parse(c.type() + " " + b64 + " a comment with spaces"));
        }
    }

    @Test
    void rejectsATypeTokenThatDisagreesWithTheBlob() {
        String rsa = CASES.get(0).text().split(" ")[1];
        SshKeyException e = assertThrows(SshKeyException.class, () -> SshPublicKey.parse("ssh-ed25519 " + rsa));
        assertEquals("key type ssh-ed25519 does not match the encoded key type ssh-rsa", e.getMessage());
    }

    @Test
    void rejectsGarbageCleanly() {
        assertMessage("public key is empty", "");
        assertMessage("public key is not valid base64", "ssh-rsa !!!!");
        assertMessage("public key is not valid base64", "ssh-rsa AAAAB3NzaC1yc2E");
        assertMessage("public key is not valid base64", "ssh-rsa");
        assertMessage("public key blob is empty", "ssh-rsa  AAAA");
        assertMessage("unsupported key type: hello", Base64.getEncoder().encodeToString(
                SshWire.writer().utf8("hello").toByteArray()));
    }

    @Test
    void rejectsUnsupportedKeyTypesNamingThem() {
        byte[] sk = SshWire.writer().utf8("sk-ssh-ed25519@openssh.com").string(new byte[32])
                .utf8("ssh:").toByteArray();
        assertMessage("unsupported key type: sk-ssh-ed25519@openssh.com", Base64.getEncoder().encodeToString(sk));
        Case ed = CASES.get(5);
        Path ca = SshKeygen.generate(dir, "unsupported-ca", "ed25519", 0).privateKeyFile();
        SshKeygen.run("-q", "-s", ca.toString(), "-I", "id", ed.pub().toString()).ok();
        String cert = TestFiles.read(Path.of(ed.pub().toString().replace(".pub", "-cert.pub")));
        assertMessage("unsupported key type: ssh-ed25519-cert-v01@openssh.com", cert);
    }

    @Test
    void everyTruncationFailsWithSshKeyException() {
        for (Case c : CASES) {
            byte[] blob = c.blob();
            for (int len = 0; len < blob.length; len++) {
                byte[] prefix = Arrays.copyOf(blob, len);
                assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(prefix), c.type() + " " + len);
            }
        }
    }

    @Test
    void corruptedBlobsNeverThrowAnythingElse() {
        Random random = new Random(4251);
        for (Case c : CASES) {
            byte[] blob = c.blob();
            for (int i = 0; i < 300; i++) {
                byte[] bad = blob.clone();
                bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
                try {
                    SshPublicKey.fromWire(bad);
                } catch (SshKeyException expected) {
                    // fine: rejected with a message
                } catch (RuntimeException e) {
                    fail(c.type() + ": " + e);
                }
            }
        }
    }

    @Test
    void rejectsTrailingData() {
        byte[] blob = CASES.get(5).blob();
        byte[] longer = Arrays.copyOf(blob, blob.length + 1);
        assertEquals("trailing data after public key",
                assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(longer)).getMessage());
    }

    @Test
    void validatesEcdsaPoints() {
        byte[] blob = CASES.get(2).blob();
        byte[] offCurve = blob.clone();
        offCurve[offCurve.length - 1] ^= 1;
        assertEquals("ECDSA public key is not a point on nistp256",
                assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(offCurve)).getMessage());
        SshWire.Reader r = SshWire.reader(blob);
        r.string();
        r.string();
        byte[] point = r.string();
        byte[] wrongCurve = SshWire.writer().utf8("ecdsa-sha2-nistp256").utf8("nistp384").string(point).toByteArray();
        assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(wrongCurve));
        byte[] compressed = Arrays.copyOf(point, 33);
        compressed[0] = (byte) (2 + (point[64] & 1));
        byte[] compressedBlob = SshWire.writer().utf8("ecdsa-sha2-nistp256").utf8("nistp256").string(compressed)
                .toByteArray();
        assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(compressedBlob));
    }

    @Test
    void validatesEd25519Length() {
        byte[] shortKey = SshWire.writer().utf8("ssh-ed25519").string(new byte[31]).toByteArray();
        assertEquals("Ed25519 public key must be 32 bytes, not 31",
                assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(shortKey)).getMessage());
    }

    @Test
    void validatesRsaParameters() {
        SshWire.Reader r = SshWire.reader(CASES.get(0).blob());
        r.string();
        BigInteger e = r.mpint();
        BigInteger n = r.mpint();
        assertTrue(SshPublicKey.fromWire(rsa(e, n)).bits() == 2048);
        assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(rsa(BigInteger.valueOf(65538), n)));
        assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(rsa(BigInteger.ONE, n)));
        assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(rsa(e, n.negate())));
        assertThrows(SshKeyException.class, () -> SshPublicKey.fromWire(rsa(e, n.add(BigInteger.ONE))));
        assertEquals("unsupported RSA modulus size 256 bits", assertThrows(SshKeyException.class,
                () -> SshPublicKey.fromWire(rsa(e, n.shiftRight(1792)))).getMessage());
    }

    private static byte[] rsa(BigInteger e, BigInteger n) {
        return SshWire.writer().utf8("ssh-rsa").mpint(e).mpint(n).toByteArray();
    }

    private static void assertMessage(String expected, String text) {
        assertEquals(expected, assertThrows(SshKeyException.class, () -> SshPublicKey.parse(text)).getMessage());
    }
}
