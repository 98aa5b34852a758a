package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.OversizedRsa;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code keys/:key_name} (write and delete only, as in Vault 1.12) and {@code tidy/dynamic-keys}
 * (Vault 1.13+), on the engine itself; the admin keys are made by ssh-keygen.
 */
class KeysPathTest {
    private static String rsaPem;
    private static String ed25519OpenSsh;
    private static String ecdsaPkcs8;

    private final BackendHarness ssh = BackendHarness.create();

    @BeforeAll
    static void adminKeys() {
        rsaPem = SshKeygen.generate("rsa", 2048, "-m", "PEM").privateKeyText();
        ed25519OpenSsh = SshKeygen.generate("ed25519", 0).privateKeyText();
        ecdsaPkcs8 = SshKeygen.generate("ecdsa", 256, "-m", "PKCS8").privateKeyText();
    }

    private void dynamicRole(String name, String key) {
        ssh.write("roles/" + name, Map.of("key_type", "dynamic", "default_user", "app", "key", key,
                "admin_user", "ops", "cidr_list", "10.0.0.0/8")).assertNoContent();
    }

    @Test
    void adminKeysInEveryFormatAreTakenAndNeverShown() {
        for (String pem : List.of(rsaPem, ed25519OpenSsh, ecdsaPkcs8)) {
            ssh.write("keys/admin", Map.of("key", pem)).assertNoContent();
        }
        dynamicRole("web", "admin");
        ssh.read("keys/admin").assertError(405, "unsupported operation");
        ssh.list("keys").assertError(404, "unsupported path");
    }

    /** The key is parsed first, so an empty or absent one is "Invalid key" too. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"key\":\"not a key\"}", "{\"key\":\"\"}", "{}"})
    void anUnparsableKeyIsInvalid(String request) {
        ssh.writeJson("keys/bad", request).assertError(400, "Invalid key");
    }

    /**
     * Beyond Vault, which took any size: an admin key must be as strong as the CA's own may be
     * (2048-bit RSA at least, what Vault refuses to generate below) and no larger than the RSA
     * maximum, which is checked before the key is looked at any further.
     */
    @Test
    void weakAndOversizedRsaAdminKeysAreRefused() {
        ssh.write("keys/weak", Map.of("key", jdkRsaPkcs8(512)))
                .assertError(400, "Invalid key: refusing weak ssh-rsa key: 512 bits < 2048 bits");
        ssh.write("keys/weak", Map.of("key", SshKeygen.generate("rsa", 1024, "-m", "PEM").privateKeyText()))
                .assertError(400, "Invalid key: refusing weak ssh-rsa key: 1024 bits < 2048 bits");
        ssh.write("keys/huge", Map.of("key", OversizedRsa.privateKeyPem(16384)))
                .assertError(400, "Invalid key: RSA key of 16384 bits exceeds the maximum of 8192 bits");
        ssh.write("roles/uses-weak", Map.of("key_type", "dynamic", "default_user", "app", "key", "weak",
                "admin_user", "ops")).assertError(400, "invalid 'key': \"weak\"");
    }

    /** A PKCS#8 {@code PRIVATE KEY} of any size the JDK makes, below what ssh-keygen agrees to. */
    private static String jdkRsaPkcs8(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aKeyNameIsARoleNameWithoutAt() {
        ssh.write("keys/a@b", Map.of("key", rsaPem)).assertError(404, "unsupported path");
    }

    @Test
    void deletingAKeyIsIdempotentAndRolesCanNoLongerNameIt() {
        ssh.write("keys/gone", Map.of("key", rsaPem)).assertNoContent();
        ssh.delete("keys/gone").assertNoContent();
        ssh.delete("keys/gone").assertNoContent();
        ssh.write("roles/uses-gone", Map.of("key_type", "dynamic", "default_user", "app", "key", "gone",
                "admin_user", "ops")).assertError(400, "invalid 'key': \"gone\"");
    }

    @Test
    void tidyRemovesEveryAdminKey() {
        ssh.write("keys/one", Map.of("key", rsaPem)).assertNoContent();
        ssh.write("keys/two", Map.of("key", ecdsaPkcs8)).assertNoContent();
        dynamicRole("before", "one");
        assertEquals(Map.of("message", "Removed 2 of 2 host keys."), ssh.delete("tidy/dynamic-keys").data());
        assertEquals(Map.of("message", "Removed 0 of 0 host keys."), ssh.delete("tidy/dynamic-keys").data());
        ssh.write("roles/after", Map.of("key_type", "dynamic", "default_user", "app", "key", "one",
                "admin_user", "ops")).assertError(400, "invalid 'key': \"one\"");
    }
}
