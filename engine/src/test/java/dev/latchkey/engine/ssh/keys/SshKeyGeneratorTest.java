package dev.latchkey.engine.ssh.keys;

import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeyGeneratorTest {
    @TempDir
    Path dir;

    private record Case(String keyType, int keyBits, String sshType, int bits, String pemType) {
    }

    @Test
    void generatesEveryTypeInVaultsFormatsReadableBySshKeygen() {
        Case[] cases = {
            new Case("rsa", 2048, "ssh-rsa", 2048, "RSA PRIVATE KEY"),
            new Case("ssh-rsa", 3072, "ssh-rsa", 3072, "RSA PRIVATE KEY"),
            new Case("ec", 0, "ecdsa-sha2-nistp256", 256, "EC PRIVATE KEY"),
            new Case("ec", 256, "ecdsa-sha2-nistp256", 256, "EC PRIVATE KEY"),
            new Case("ec", 384, "ecdsa-sha2-nistp384", 384, "EC PRIVATE KEY"),
            new Case("ec", 521, "ecdsa-sha2-nistp521", 521, "EC PRIVATE KEY"),
            new Case("ecdsa-sha2-nistp256", 999, "ecdsa-sha2-nistp256", 256, "EC PRIVATE KEY"),
            new Case("ecdsa-sha2-nistp384", 0, "ecdsa-sha2-nistp384", 384, "EC PRIVATE KEY"),
            new Case("ecdsa-sha2-nistp521", 256, "ecdsa-sha2-nistp521", 521, "EC PRIVATE KEY"),
            new Case("ed25519", 0, "ssh-ed25519", 256, "OPENSSH PRIVATE KEY"),
            new Case("ssh-ed25519", 4096, "ssh-ed25519", 256, "OPENSSH PRIVATE KEY"),
        };
        int i = 0;
        for (Case c : cases) {
            String label = c.keyType() + "/" + c.keyBits();
            SshPrivateKey key = SshKeyGenerator.generate(c.keyType(), c.keyBits());
            assertEquals(c.sshType(), key.type(), label);
            assertEquals(c.bits(), key.publicKey().bits(), label);
            String pem = key.toPem();
            assertPemShape(pem, c.pemType());
            assertEquals(key.publicKey(), SshPrivateKey.parse(pem).publicKey(), label);
            assertSshKeygenDerives(key, pem, "gen" + i++);
            // every type can also be written in OpenSSH's own container
            assertSshKeygenDerives(key, key.toOpenSshPem(), "gen" + i++);
        }
    }

    @Test
    void rsaDefaultsTo4096Bits() {
        SshPrivateKey key = SshKeyGenerator.generate("ssh-rsa", 0);
        assertEquals(4096, key.publicKey().bits());
        assertSshKeygenDerives(key, key.toPem(), "rsa4096");
    }

    @Test
    void refusesWhatVaultRefuses() {
        assertMessage("refusing to generate weak rsa key: 1024 bits < 2048 bits", "rsa", 1024);
        assertMessage("refusing to generate weak ssh-rsa key: 2047 bits < 2048 bits", "ssh-rsa", 2047);
        assertMessage("refusing to generate weak rsa key: -1 bits < 2048 bits", "rsa", -1);
        assertMessage("unknown ECDSA key pair algorithm and bits: ec / 512", "ec", 512);
        assertMessage("unknown ECDSA key pair algorithm and bits: ec / 224", "ec", 224);
        assertMessage("unknown ssh key pair algorithm: dsa", "dsa", 0);
        assertMessage("unknown ssh key pair algorithm: ecdsa", "ecdsa", 256);
        assertMessage("unknown ssh key pair algorithm: RSA", "RSA", 2048);
        assertMessage("unknown ssh key pair algorithm: ", "", 0);
    }

    private void assertSshKeygenDerives(SshPrivateKey key, String pem, String name) {
        Path file = TestFiles.writePrivate(dir.resolve(name), pem);
        String derived = SshKeygen.run("-y", "-f", file.toString()).ok().stdout();
        assertEquals(key.publicKey().toLine(), derived.strip(), name);
    }

    private static void assertPemShape(String pem, String type) {
        assertTrue(pem.startsWith("-----BEGIN " + type + "-----\n"), pem.lines().findFirst().orElse(""));
        assertTrue(pem.endsWith("-----END " + type + "-----\n"));
        String[] lines = pem.split("\n");
        for (int i = 1; i < lines.length - 2; i++) {
            assertEquals(64, lines[i].length(), "line " + i);
        }
        assertTrue(lines[lines.length - 2].length() <= 64);
    }

    private static void assertMessage(String expected, String type, int bits) {
        assertEquals(expected, assertThrows(SshKeyException.class,
                () -> SshKeyGenerator.generate(type, bits)).getMessage());
    }
}
