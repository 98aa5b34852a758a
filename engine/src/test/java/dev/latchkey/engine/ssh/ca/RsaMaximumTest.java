package dev.latchkey.engine.ssh.ca;

import dev.latchkey.testing.OversizedRsa;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static dev.latchkey.engine.ssh.ca.CaMount.json;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The RSA maximum on the CA paths: 8192 bits unless a role's {@code allowed_user_key_lengths}
 * lists a larger RSA length. A 16384-bit public key once cost over a second of CPU per
 * {@code sign} before any rule looked at it; it is refused on its encoded size now.
 */
class RsaMaximumTest {
    private static final String REQUIREMENTS = "public_key failed to meet the key requirements: ";
    private static final String RSA_16384 = OversizedRsa.publicKeyLine(16384);

    private final CaMount ca = CaMount.ed25519();

    private String signBody(String publicKey) {
        return "{\"public_key\":" + json(publicKey) + ",\"valid_principals\":\"x\"}";
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} bits -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # allowed_user_key_lengths  | key bits | outcome
            {}                          | 8192     | signed
            {}                          | 8193     | key is of an invalid size: 8193
            {}                          | 16384    | key is of an invalid size: 16384
            {"ed25519":0}               | 16384    | key is of an invalid size: 16384
            {"rsa":[2048,4096]}         | 16384    | key is of an invalid size: 16384
            # a role that lists a larger RSA length raises the maximum to it, and then must list the size
            {"rsa":[16384]}             | 16384    | signed
            {"ssh-rsa":"2048,16384"}    | 16384    | signed
            {"rsa":[16384]}             | 8192     | key is of an invalid size: 8192
            {"rsa":[12288]}             | 16384    | key is of an invalid size: 16384
            # OpenSSH's own limit is not raised
            {"rsa":[16400]}             | 16400    | key is of an invalid size: 16400
            """)
    void signHasAnRsaMaximum(String lengths, int bits, String outcome) {
        ca.role("big", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"allowed_user_key_lengths\":" + lengths + "}");
        String body = signBody(OversizedRsa.publicKeyLine(bits));
        if (outcome.equals("signed")) {
            CaMount.certificate(ca.ssh.writeJson("sign/big", body));
        } else {
            ca.ssh.writeJson("sign/big", body).assertError(400, REQUIREMENTS + outcome);
        }
    }

    /** Refused on its size, so quickly: the generous timeout only guards against a regression to seconds per request. */
    @Test
    void aRefusedKeyCostsNothingToRefuse() {
        ca.role("any", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 20; i++) {
                ca.ssh.writeJson("sign/any", signBody(RSA_16384)).assertError(400, REQUIREMENTS
                        + "key is of an invalid size: 16384");
            }
        });
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # allowed_user_key_lengths  | request                           | error
            {}                          | "key_type":"rsa","key_bits":16384 | refusing to generate rsa key: 16384 bits > 8192 bits
            {}                          | "key_type":"ssh-rsa","key_bits":8200 | refusing to generate ssh-rsa key: 8200 bits > 8192 bits
            {"rsa":[12288]}             | "key_type":"rsa","key_bits":16384 | provided key_bits value not in list of role's allowed_user_key_types
            {"rsa":[12288,20000]}       | "key_type":"rsa","key_bits":20000 | refusing to generate rsa key: 20000 bits > 16384 bits
            """)
    void issueHasAnRsaMaximum(String lengths, String request, String error) {
        ca.role("gen", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"allowed_user_key_lengths\":" + lengths + "}");
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ca.ssh.writeJson("issue/gen", "{" + request + "}").assertError(400, error));
    }

    @Test
    void configCaHasAnRsaMaximum() {
        CaMount empty = CaMount.empty();
        empty.ssh.writeJson("config/ca", "{\"key_type\":\"rsa\",\"key_bits\":16384}")
                .assertError(400, "refusing to generate rsa key: 16384 bits > 8192 bits");
        SshKeygen.KeyPair small = SshKeygen.generate("ed25519", 0);
        empty.ssh.write("config/ca", Map.of("public_key", RSA_16384, "private_key", small.privateKeyText()))
                .assertError(400, "Unable to parse public_key as an SSH public key: "
                        + "RSA key of 16384 bits exceeds the maximum of 8192 bits");
        empty.ssh.write("config/ca", Map.of("public_key", small.publicKeyText(),
                        "private_key", OversizedRsa.privateKeyPem(16384)))
                .assertError(400, "Unable to parse private_key as an SSH private key: "
                        + "RSA key of 16384 bits exceeds the maximum of 8192 bits");
        empty.ssh.read("config/ca").assertError(400, "keys haven't been configured yet");
    }
}
