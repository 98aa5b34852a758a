package dev.latchkey.engine.ssh.dynamic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.testing.BackendHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code roles/:role} for dynamic roles on the engine itself: Vault 1.12's fields and checks, and
 * Latchkey's host-key checking and timeouts.
 */
class DynamicRolesPathTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = SshKeyGenerator.generate("ed25519", 0).toPem();

    private final BackendHarness ssh = BackendHarness.create();

    @BeforeEach
    void adminKey() {
        ssh.write("keys/admin", Map.of("key", ADMIN_KEY)).assertNoContent();
    }

    /** A dynamic role for {@code app} on 10.0.0.0/8 with the JSON object's fields changed; null removes one. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> role(String changes) {
        Map<String, Object> role = new LinkedHashMap<>(Map.of("key_type", "dynamic", "default_user", "app",
                "key", "admin", "admin_user", "ops", "cidr_list", "10.0.0.0/8"));
        try {
            JSON.readValue(changes, Map.class).forEach((name, value) -> {
                if (value == null) {
                    role.remove(name);
                } else {
                    role.put((String) name, value);
                }
            });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(changes, e);
        }
        return role;
    }

    /** Vault 1.12's 11 fields and Latchkey's 4; the admin key itself is never shown. */
    @Test
    void aRoleReadsBackWithTheBuiltInScriptAndTheDefaults() {
        ssh.write("roles/web", role("{\"port\":2222,\"allowed_users\":\"app,deploy\",\"key_option_specs\":\"no-pty\"}"))
                .assertNoContent();
        Map<String, Object> read = ssh.read("roles/web").data();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("key_type", "dynamic");
        expected.put("key", "admin");
        expected.put("admin_user", "ops");
        expected.put("default_user", "app");
        expected.put("allowed_users", "app,deploy");
        expected.put("cidr_list", "10.0.0.0/8");
        expected.put("exclude_cidr_list", "");
        expected.put("port", 2222);
        expected.put("key_bits", 2048);
        expected.put("key_option_specs", "no-pty");
        expected.put("install_script", InstallScript.builtIn());
        expected.put("host_key_checking", "trust_on_first_use");
        expected.put("host_key_fingerprints", List.of());
        expected.put("connect_timeout", 15L);
        expected.put("command_timeout", 30L);
        assertEquals(expected, read);
        String script = (String) read.get("install_script");
        assertTrue(script.startsWith("#!/bin/bash"), script);
        assertTrue(script.contains("flock --timeout 10"), "the built-in script serialises edits of one account");
        assertFalse(read.toString().contains("PRIVATE KEY"), "no key material in a role");
        assertEquals(Map.of("web", Map.of("key_type", "dynamic")), ssh.list("roles").data().get("key_info"));
    }

    @Test
    void aRoleKeepsItsOwnScriptAndKeyBits() {
        ssh.write("roles/custom", role("{\"install_script\":\"#!/bin/sh\\nexit 0\\n\",\"key_bits\":4096}"))
                .assertNoContent();
        Map<String, Object> read = ssh.read("roles/custom").data();
        assertEquals("#!/bin/sh\nexit 0\n", read.get("install_script"));
        assertEquals(4096, read.get("key_bits"));
    }

    /**
     * A refused write stores nothing. The first rows run in Vault 1.12's order of checks for
     * dynamic roles; the host-key and timeout fields are Latchkey's.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # changes to a valid role                           | error
            {"default_user":null,"key":null,"admin_user":null}  | missing default user
            {"key":null,"admin_user":null}                      | missing key name
            {"key":"nope","admin_user":null}                    | invalid 'key': "nope"
            {"admin_user":null}                                 | missing admin username
            {"key_bits":1000}                                   | invalid key_bits field
            {"cidr_list":"10.0.0.0/33"}                         | failed to validate cidr_list: invalid CIDR address: 10.0.0.0/33
            {"host_key_checking":"maybe"}                       | invalid host_key_checking "maybe": use trust_on_first_use, pinned or none
            {"host_key_checking":"pinned"}                      | host_key_checking=pinned needs host_key_fingerprints
            {"host_key_checking":"none","host_key_fingerprints":"SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} | host_key_fingerprints are only used with host_key_checking=pinned, not none
            {"host_key_fingerprints":"MD5:aa:bb"}               | invalid host key fingerprint "MD5:aa:bb": expected SHA256:<base64> as ssh-keygen -l prints it
            {"connect_timeout":"11m"}                           | connect_timeout must be between 1s and 10m
            {"command_timeout":601}                             | command_timeout must be between 1s and 10m
            # beyond Vault: what reaches the host can neither break a line nor a command
            {"key_option_specs":"no-pty\\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA x"} | key_option_specs must not contain control characters (found U+000A): it is sent to the target host
            {"key_option_specs":"no-pty\\r"}                     | key_option_specs must not contain control characters (found U+000D): it is sent to the target host
            {"key_option_specs":"no-pty\\u0000"}                 | key_option_specs must not contain control characters (found U+0000): it is sent to the target host
            {"key_option_specs":"no-pty,\\tno-agent-forwarding"} | key_option_specs must not contain control characters (found U+0009): it is sent to the target host
            {"key_option_specs":"no-pty\\u007f"}                 | key_option_specs must not contain control characters (found U+007F): it is sent to the target host
            {"key_option_specs":"no-pty\\u0085"}                 | key_option_specs must not contain control characters (found U+0085): it is sent to the target host
            {"key_option_specs":"no-pty\\u2028"}                 | key_option_specs must not contain control characters (found U+2028): it is sent to the target host
            {"admin_user":"ops\\n"}                              | admin_user must not contain control characters (found U+000A): it is sent to the target host
            {"admin_user":"o\\u001bps"}                          | admin_user must not contain control characters (found U+001B): it is sent to the target host
            {"default_user":"a b"}                              | default_user "a b" is not a valid account name: dynamic keys need letters, digits, '.', '_' or '-' (it becomes part of a command on the host)
            {"default_user":"app\\nroot"}                        | default_user "app\\nroot" is not a valid account name: dynamic keys need letters, digits, '.', '_' or '-' (it becomes part of a command on the host)
            {"default_user":"../../etc"}                        | default_user "../../etc" is not a valid account name: dynamic keys need letters, digits, '.', '_' or '-' (it becomes part of a command on the host)
            {"default_user":"$(id)"}                            | default_user "$(id)" is not a valid account name: dynamic keys need letters, digits, '.', '_' or '-' (it becomes part of a command on the host)
            """)
    void aRefusedWriteSaysWhyAndStoresNothing(String changes, String error) {
        ssh.write("roles/r", role(changes)).assertError(400, error);
        assertNull(ssh.read("roles/r").data(), "nothing is stored");
    }

    /** Fingerprints alone mean {@code pinned}; timeouts are durations, stored in seconds. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # changes to a valid role                                                        | host_key_checking  | host_key_fingerprints                               | connect_timeout | command_timeout
            {}                                                                               | trust_on_first_use |                                                     | 15              | 30
            {"host_key_fingerprints":["SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],"connect_timeout":"2s","command_timeout":90} | pinned | SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | 2 | 90
            {"host_key_checking":"none"}                                                     | none               |                                                     | 15              | 30
            {"connect_timeout":"10m","command_timeout":"1s"}                                 | trust_on_first_use |                                                     | 600             | 1
            """)
    void hostKeyCheckingAndTimeoutsReadBack(String changes, String mode, String fingerprints, long connect,
                                            long command) {
        ssh.write("roles/h", role(changes)).assertNoContent();
        Map<String, Object> read = ssh.read("roles/h").data();
        assertEquals(mode, read.get("host_key_checking"));
        assertEquals(fingerprints == null ? List.of() : List.of(fingerprints.split(",")),
                read.get("host_key_fingerprints"));
        assertEquals(connect, read.get("connect_timeout"));
        assertEquals(command, read.get("command_timeout"));
    }

    @Test
    void pinnedFingerprintsAreKeptInTheirOrder() {
        String first = SshKeyGenerator.generate("ed25519", 0).publicKey().sha256Fingerprint();
        String second = SshKeyGenerator.generate("ed25519", 0).publicKey().sha256Fingerprint();
        ssh.write("roles/p", role("{\"host_key_fingerprints\":\"" + second + "," + first + "\"}")).assertNoContent();
        assertEquals("pinned", ssh.read("roles/p").data().get("host_key_checking"));
        assertEquals(List.of(second, first), ssh.read("roles/p").data().get("host_key_fingerprints"));
        ssh.write("roles/p", role("{\"host_key_checking\":\"none\"}")).assertNoContent();
        assertEquals(List.of(), ssh.read("roles/p").data().get("host_key_fingerprints"), "a rewrite drops them");
    }
}
