package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
