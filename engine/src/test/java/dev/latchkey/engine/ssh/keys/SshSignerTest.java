package dev.latchkey.engine.ssh.keys;

import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshSignerTest {
    @TempDir
    static Path dir;

    private static final byte[] DATA = "the quick brown fox".getBytes(StandardCharsets.UTF_8);
    private static SshPrivateKey rsa;
    private static SshPrivateKey p256;
    private static SshPrivateKey p384;
    private static SshPrivateKey p521;
    private static SshPrivateKey ed25519;
    private static Map<SshPrivateKey, List<String>> algorithms;
    private static ExecutorService pool;

    @BeforeAll
    static void keys() {
        rsa = SshKeyGenerator.generate("rsa", 2048);
        p256 = SshKeyGenerator.generate("ec", 256);
        p384 = SshKeyGenerator.generate("ec", 384);
        p521 = SshKeyGenerator.generate("ec", 521);
        ed25519 = SshKeyGenerator.generate("ed25519", 0);
        algorithms = Map.of(rsa, List.of("ssh-rsa", "rsa-sha2-256", "rsa-sha2-512"),
                p256, List.of("ecdsa-sha2-nistp256"), p384, List.of("ecdsa-sha2-nistp384"),
                p521, List.of("ecdsa-sha2-nistp521"), ed25519, List.of("ssh-ed25519"));
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void signsAndVerifiesWithEveryFittingAlgorithm() {
        algorithms.forEach((key, names) -> {
            for (String name : names) {
                byte[] blob = SshSigner.sign(key, name, DATA);
                SshWire.Reader r = SshWire.reader(blob);
                assertEquals(name, r.utf8());
                byte[] sig = r.string();
                r.expectEnd("signature");
                assertTrue(SshSigner.verify(key.publicKey(), DATA, blob), name);
                assertFalse(SshSigner.verify(key.publicKey(), "other".getBytes(StandardCharsets.UTF_8), blob), name);
                byte[] bad = blob.clone();
                bad[bad.length - 3] ^= 1;
                assertFalse(SshSigner.verify(key.publicKey(), DATA, bad), name);
                if (key == rsa) {
                    assertEquals(256, sig.length, "RSA signatures are as long as the modulus");
                }
                if (key == ed25519) {
                    assertEquals(64, sig.length);
                }
            }
        });
    }

    @Test
    void verifyRejectsOtherKeysAndForeignAlgorithms() {
        byte[] blob = SshSigner.sign(p256, "ecdsa-sha2-nistp256", DATA);
        assertFalse(SshSigner.verify(SshKeyGenerator.generate("ec", 256).publicKey(), DATA, blob));
        assertFalse(SshSigner.verify(p384.publicKey(), DATA, blob));
        byte[] renamed = SshWire.writer().utf8("ssh-ed25519").string(new byte[64]).toByteArray();
        assertFalse(SshSigner.verify(p256.publicKey(), DATA, renamed));
        byte[] unknown = SshWire.writer().utf8("nope").string(new byte[4]).toByteArray();
        assertFalse(SshSigner.verify(p256.publicKey(), DATA, unknown));
        assertThrows(SshKeyException.class, () -> SshSigner.verify(p256.publicKey(), DATA, new byte[] {0, 0}));
    }

    @Test
    void refusesAlgorithmsThatDoNotFitTheKey() {
        SshKeyException e = assertThrows(SshKeyException.class, () -> SshSigner.sign(ed25519, "rsa-sha2-256", DATA));
        assertEquals("signature algorithm rsa-sha2-256 cannot be used with a ssh-ed25519 key", e.getMessage());
        assertThrows(SshKeyException.class, () -> SshSigner.sign(p256, "ecdsa-sha2-nistp384", DATA));
        assertThrows(SshKeyException.class, () -> SshSigner.sign(rsa, "ssh-ed25519", DATA));
        assertEquals("unknown signature algorithm: rsa-sha2-1024", assertThrows(SshKeyException.class,
                () -> SshSigner.sign(rsa, "rsa-sha2-1024", DATA)).getMessage());
    }

    @Test
    void defaultAlgorithmFollowsVault() {
        assertEquals("rsa-sha2-256", SshSigner.defaultAlgorithm(rsa, "default"));
        assertEquals("ssh-rsa", SshSigner.defaultAlgorithm(rsa, ""));
        assertEquals("ssh-rsa", SshSigner.defaultAlgorithm(rsa, null));
        assertEquals("rsa-sha2-512", SshSigner.defaultAlgorithm(rsa, "rsa-sha2-512"));
        assertEquals("ssh-rsa", SshSigner.defaultAlgorithm(rsa, "ssh-rsa"));
        assertEquals("ecdsa-sha2-nistp384", SshSigner.defaultAlgorithm(p384, "default"));
        assertEquals("ecdsa-sha2-nistp521", SshSigner.defaultAlgorithm(p521, ""));
        assertEquals("ssh-ed25519", SshSigner.defaultAlgorithm(ed25519, "default"));
        // explicit RSA algorithms with a non-RSA key are named here and fail when signing
        assertEquals("rsa-sha2-256", SshSigner.defaultAlgorithm(ed25519, "rsa-sha2-256"));
    }

    @Test
    void ecdsaAndEd25519SignaturesAreDeterministic() {
        assertArrayEquals(SshSigner.sign(p256, "ecdsa-sha2-nistp256", DATA),
                SshSigner.sign(p256, "ecdsa-sha2-nistp256", DATA));
        assertArrayEquals(SshSigner.sign(ed25519, "ssh-ed25519", DATA), SshSigner.sign(ed25519, "ssh-ed25519", DATA));
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = ("message " + i).getBytes(StandardCharsets.UTF_8);
            SshPrivateKey key = List.of(rsa, p256, p521, ed25519).get(i % 4);
            String alg = SshSigner.defaultAlgorithm(key, "default");
            results.add(pool.submit(() -> SshSigner.verify(key.publicKey(), data, SshSigner.sign(key, alg, data))));
        }
        for (Future<Boolean> f : results) {
            assertTrue(f.get());
        }
    }

    /**
     * ssh-keygen checks our raw signatures through its SSHSIG format (PROTOCOL.sshsig), which
     * signs "SSHSIG", namespace, reserved, hash algorithm and the message hash.
     */
    @Test
    void sshKeygenAcceptsOurSignatures() throws Exception {
        Path message = TestFiles.write(dir.resolve("message"), "hello from latchkey\n");
        byte[] hash = MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(message));
        int i = 0;
        for (var entry : algorithms.entrySet()) {
            for (String alg : entry.getValue()) {
                if (alg.equals("ssh-rsa")) {
                    continue; // SSHSIG refuses SHA-1
                }
                SshPrivateKey key = entry.getKey();
                byte[] signed = SshWire.writer().raw("SSHSIG".getBytes(StandardCharsets.US_ASCII)).utf8("file")
                        .utf8("").utf8("sha512").string(hash).toByteArray();
                byte[] envelope = SshWire.writer().raw("SSHSIG".getBytes(StandardCharsets.US_ASCII)).uint32(1)
                        .string(key.publicKey().wire()).utf8("file").utf8("").utf8("sha512")
                        .string(SshSigner.sign(key, alg, signed)).toByteArray();
                String armored = "-----BEGIN SSH SIGNATURE-----\n"
                        + Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(envelope)
                        + "\n-----END SSH SIGNATURE-----\n";
                Path sig = TestFiles.write(dir.resolve("sig" + i++), armored);
                Commands.Result r = SshKeygen.runWithInput(message, "-Y", "check-novalidate", "-n", "file",
                        "-s", sig.toString());
                assertEquals(0, r.exitCode(), alg + ": " + r.stderr() + r.stdout());
                // and a signature over different data is refused
                byte[] other = SshWire.writer().raw(envelope).toByteArray();
                other[other.length - 5] ^= 1;
                String badArmored = "-----BEGIN SSH SIGNATURE-----\n"
                        + Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(other)
                        + "\n-----END SSH SIGNATURE-----\n";
                Path bad = TestFiles.write(dir.resolve("bad" + i++), badArmored);
                assertTrue(SshKeygen.runWithInput(message, "-Y", "check-novalidate", "-n", "file", "-s",
                        bad.toString()).exitCode() != 0, alg);
            }
        }
    }
}
