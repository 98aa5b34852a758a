package dev.latchkey.engine.ssh.keys;

import dev.latchkey.testing.OversizedRsa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The RSA size limits, applied on the encoded modulus: the default maximum, a larger one a caller
 * allows, and OpenSSH's ceiling, which nothing raises.
 */
class RsaKeySizesTest {
    @ParameterizedTest(name = "{0} bits, max {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2048  | 8192  | ok
            8192  | 8192  | ok
            8193  | 8192  | RSA key of 8193 bits exceeds the maximum of 8192 bits
            16384 | 8192  | RSA key of 16384 bits exceeds the maximum of 8192 bits
            16384 | 16384 | ok
            16385 | 16384 | RSA key of 16385 bits exceeds the maximum of 16384 bits
            16385 | 32768 | RSA key of 16385 bits exceeds the maximum of 16384 bits
            """)
    void publicKeysAreSizedOnTheirEncoding(int bits, int max, String outcome) {
        String line = OversizedRsa.publicKeyLine(bits);
        if (outcome.equals("ok")) {
            assertEquals(bits, SshPublicKey.parse(line, max).bits());
        } else {
            RsaKeySizes.KeyTooLargeException e = assertThrows(RsaKeySizes.KeyTooLargeException.class,
                    () -> SshPublicKey.parse(line, max));
            assertEquals(outcome, e.getMessage());
            assertEquals(bits, e.bits());
        }
    }

    @Test
    void theDefaultIs8192() {
        assertEquals(8192, RsaKeySizes.DEFAULT_MAX_BITS);
        assertThrows(RsaKeySizes.KeyTooLargeException.class, () -> SshPublicKey.parse(OversizedRsa.publicKeyLine(8200)));
        assertThrows(RsaKeySizes.KeyTooLargeException.class,
                () -> SshPublicKey.fromWire(OversizedRsa.publicKeyBlob(8200)));
        assertEquals(8192, SshPublicKey.parse(OversizedRsa.publicKeyLine(8192)).bits());
    }

    /** The size is the first thing looked at: this key is inconsistent in every other way. */
    @Test
    void privateKeysAreSizedBeforeAnythingElse() {
        String pem = OversizedRsa.privateKeyPem(16384);
        assertEquals("RSA key of 16384 bits exceeds the maximum of 8192 bits",
                assertThrows(RsaKeySizes.KeyTooLargeException.class, () -> SshPrivateKey.parse(pem)).getMessage());
        assertEquals("RSA private key is inconsistent",
                assertThrows(SshKeyException.class, () -> SshPrivateKey.parse(pem, 16384)).getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            '',       0
            00,       0
            0000,     0
            01,       1
            7f,       7
            0080,     8
            00ff01,   16
            000100,   9
            """)
    void encodedBitsIgnoreLeadingZeroBytes(String hex, int bits) {
        assertEquals(bits, RsaKeySizes.encodedBits(HexFormat.of().parseHex(hex)));
    }

    @Test
    void generationStopsAtTheMaximumItIsGiven() {
        assertEquals("refusing to generate rsa key: 16384 bits > 8192 bits", assertThrows(SshKeyException.class,
                () -> SshKeyGenerator.generate("rsa", 16384)).getMessage());
        assertEquals("refusing to generate ssh-rsa key: 9000 bits > 8192 bits", assertThrows(SshKeyException.class,
                () -> SshKeyGenerator.generate("ssh-rsa", 9000, 8192)).getMessage());
        assertEquals("refusing to generate rsa key: 20000 bits > 16384 bits", assertThrows(SshKeyException.class,
                () -> SshKeyGenerator.generate("rsa", 20000, 65536)).getMessage());
    }
}
