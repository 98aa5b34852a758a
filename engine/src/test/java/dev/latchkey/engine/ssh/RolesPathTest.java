package dev.latchkey.engine.ssh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.testing.BackendHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code roles/} and {@code roles/:role} on the engine itself, for OTP roles and the fields every
 * key type shares: what a write accepts, refuses and stores, and what read, list and delete show.
 * Dynamic roles: {@code dynamic.DynamicRolesPathTest}.
 */
class RolesPathTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackendHarness ssh = BackendHarness.create();

    @Test
    void anOtpRoleReadsBackExactlyAsWritten() {
        ssh.write("roles/web", Map.of("key_type", "otp", "default_user", "ubuntu",
                "cidr_list", "10.0.0.0/8,fd00::/8", "exclude_cidr_list", "10.1.0.0/16", "port", 2222,
                "allowed_users", "alice,bob")).assertNoContent();
        assertEquals(Map.of("key_type", "otp", "default_user", "ubuntu", "cidr_list", "10.0.0.0/8,fd00::/8",
                "exclude_cidr_list", "10.1.0.0/16", "port", 2222, "allowed_users", "alice,bob"),
                ssh.read("roles/web").data());
    }

    /** What is left out reads back as Vault's defaults; the CIDR lists come back exactly as sent. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role written                                                            | read back
            {"key_type":"otp","default_user":"root"}                                  | {"default_user":"root","cidr_list":"","exclude_cidr_list":"","key_type":"otp","port":22,"allowed_users":""}
            {"key_type":"OTP","default_user":"u"}                                     | {"default_user":"u","cidr_list":"","exclude_cidr_list":"","key_type":"otp","port":22,"allowed_users":""}
            {"key_type":"oTp","default_user":"u","allowed_users":"*"}                 | {"default_user":"u","cidr_list":"","exclude_cidr_list":"","key_type":"otp","port":22,"allowed_users":"*"}
            {"key_type":"otp","default_user":"u","cidr_list":" 10.0.0.0/8, 192.168.0.0/16 ,,2001:DB8::/32 ","exclude_cidr_list":"10.9.0.0/16 , 192.168.5.0/24"} | {"default_user":"u","cidr_list":" 10.0.0.0/8, 192.168.0.0/16 ,,2001:DB8::/32 ","exclude_cidr_list":"10.9.0.0/16 , 192.168.5.0/24","key_type":"otp","port":22,"allowed_users":""}
            """)
    void aRoleReadsBackWithDefaultsAndItsListsAsSent(String written, String readBack) {
        ssh.writeJson("roles/r", written).assertNoContent();
        assertEquals(json(readBack), ssh.read("roles/r").data());
    }

    @Test
    void aWriteReplacesTheWholeRole() {
        ssh.write("roles/r", Map.of("key_type", "otp", "default_user", "first", "cidr_list", "10.0.0.0/8",
                "exclude_cidr_list", "10.1.0.0/16", "port", 2200, "allowed_users", "*")).assertNoContent();
        ssh.write("roles/r", Map.of("key_type", "otp", "default_user", "second")).assertNoContent();
        assertEquals(Map.of("default_user", "second", "cidr_list", "", "exclude_cidr_list", "", "key_type", "otp",
                "port", 22, "allowed_users", ""), ssh.read("roles/r").data());
    }

    /** Vault converts field values weakly: the port may come as a number, a numeric string or a boolean. */
    @ParameterizedTest(name = "port {0} is stored as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # JSON value of port | port read back
            2222                 | 2222
            "2222"               | 2222
            0                    | 22
            "0"                  | 22
            ""                   | 22
            null                 | 22
            true                 | 1
            false                | 22
            1                    | 1
            65535                | 65535
            """)
    void thePortTakesNumbersNumericTextAndBooleans(String json, int stored) {
        ssh.writeJson("roles/p", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":" + json + "}").assertNoContent();
        assertEquals(stored, ssh.read("roles/p").data().get("port"));
    }

    /**
     * A refused write stores nothing. The rows run in Vault's order of checks: the CIDR lists come
     * before the key type and the port, cidr_list before exclude_cidr_list, the key type before the
     * default user. An unparsable CIDR is 400 where Vault answers 500 with the same text (README,
     * "Deliberate differences from Vault": request errors are 4xx), and so is a port outside 1-65535,
     * which Vault accepts.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role written                                                          | error
            {"cidr_list":"10.0.0.0/8, bogus"}                                       | failed to validate cidr_list: invalid CIDR address: bogus
            {"key_type":"otp","default_user":"u","cidr_list":"10.0.0.1"}            | failed to validate cidr_list: invalid CIDR address: 10.0.0.1
            {"key_type":"nonsense","cidr_list":"300.0.0.0/8"}                       | failed to validate cidr_list: invalid CIDR address: 300.0.0.0/8
            {"exclude_cidr_list":"10.0.0.0/33"}                                     | failed to validate exclude_cidr_list entry: invalid CIDR address: 10.0.0.0/33
            {"key_type":"otp","default_user":"u","cidr_list":"10.0.0.0/8","exclude_cidr_list":"10.1.0.0/16,nope/8"} | failed to validate exclude_cidr_list entry: invalid CIDR address: nope/8
            {"cidr_list":"x","exclude_cidr_list":"y"}                               | failed to validate cidr_list: invalid CIDR address: x
            {"key_type":"otp","default_user":"u","cidr_list":"bad","port":70000}    | failed to validate cidr_list: invalid CIDR address: bad
            {"key_type":"otp","default_user":"u","port":70000}                      | invalid port 70000: must be between 1 and 65535
            {"key_type":"otp","default_user":"u","port":-1}                         | invalid port -1: must be between 1 and 65535
            {"key_type":"otp","default_user":"u","port":65536}                      | invalid port 65536: must be between 1 and 65535
            {"key_type":"otp","default_user":"u","port":"abc"}                      | Field validation failed: error converting input abc for field "port": cannot parse 'abc' as int: strconv.ParseInt: parsing "abc": invalid syntax
            {}                                                                      | missing key type
            {"default_user":"u"}                                                    | missing key type
            {"key_type":"","default_user":"u"}                                      | missing key type
            {"key_type":"password"}                                                 | invalid key type
            {"key_type":"otp ","default_user":"u"}                                  | invalid key type
            {"key_type":"otp"}                                                      | missing default user
            {"key_type":"otp","default_user":"","admin_user":"admin"}               | missing default user
            {"key_type":"otp","default_user":"u","admin_user":"root"}               | admin user not required for OTP type
            {"key_type":"dynamic","default_user":"u","key":"k","admin_user":"root"} | invalid 'key': "k"
            {"key_type":"CA"}                                                       | Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'
            """)
    void aRefusedWriteSaysWhyAndStoresNothing(String written, String error) {
        ssh.writeJson("roles/r", written).assertError(400, error);
        assertNull(ssh.read("roles/r").data(), "nothing is stored");
    }

    @Test
    void aRefusedWriteLeavesTheStoredRoleUntouched() {
        ssh.write("roles/kept", Map.of("key_type", "otp", "default_user", "keep", "port", 2022)).assertNoContent();
        ssh.write("roles/kept", Map.of("key_type", "otp")).assertError(400, "missing default user");
        assertEquals("keep", ssh.read("roles/kept").data().get("default_user"));
        assertEquals(2022, ssh.read("roles/kept").data().get("port"));
    }

    /** Vault's name pattern: letters, digits, '-', '_', '.', '@'; no '-', '.' or '@' at the ends. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "web-prod", "v1.2", "ops@example.com", "under_score", "_x_", "A9", "m-i.x@e_d"})
    void aValidNameIsWrittenReadAndDeleted(String name) {
        ssh.write("roles/" + name, Map.of("key_type", "otp", "default_user", "u")).assertNoContent();
        assertEquals("u", ssh.read("roles/" + name).data().get("default_user"));
        ssh.delete("roles/" + name).assertNoContent();
        assertNull(ssh.read("roles/" + name).data(), "a read that finds nothing has no body: Vault's 404");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-lead", "trail.", "trail-", "@at", "a b", "a%b", "a/b"})
    void anInvalidNameIsAPathNoPatternMatches(String name) {
        ssh.write("roles/" + name, Map.of("key_type", "otp", "default_user", "u")).assertError(404, "unsupported path");
        ssh.read("roles/" + name).assertError(404, "unsupported path");
    }

    @Test
    void listShowsSortedNamesWithTheirKeyTypes() {
        ssh.write("roles/charlie", Map.of("key_type", "otp", "default_user", "u")).assertNoContent();
        ssh.write("roles/alpha", Map.of("key_type", "otp", "default_user", "u")).assertNoContent();
        ssh.write("roles/bravo", Map.of("key_type", "OTP", "default_user", "u")).assertNoContent();
        assertEquals(Map.of("keys", List.of("alpha", "bravo", "charlie"), "key_info", Map.of(
                "alpha", Map.of("key_type", "otp"),
                "bravo", Map.of("key_type", "otp"),
                "charlie", Map.of("key_type", "otp"))), ssh.list("roles").data());
        ssh.delete("roles/charlie").assertNoContent();
        assertEquals(List.of("alpha", "bravo"), ssh.list("roles").data().get("keys"));
    }

    @Test
    void anEmptyListHasNoBodyAlsoOnceTheLastRoleIsDeleted() {
        assertNull(ssh.list("roles").data(), "a list that finds nothing has no body: Vault's 404");
        ssh.write("roles/only", Map.of("key_type", "otp", "default_user", "u")).assertNoContent();
        assertEquals(List.of("only"), ssh.list("roles").data().get("keys"));
        ssh.delete("roles/only").assertNoContent();
        assertNull(ssh.list("roles").data());
    }

    @Test
    void deletingARoleThatIsNotThereSucceeds() {
        ssh.write("roles/doomed", Map.of("key_type", "otp", "default_user", "u")).assertNoContent();
        ssh.delete("roles/doomed").assertNoContent();
        assertNull(ssh.read("roles/doomed").data());
        ssh.delete("roles/doomed").assertNoContent();
        ssh.delete("roles/never-there").assertNoContent();
    }

    @Test
    void deletingARoleTakesItOffTheZeroAddressListAndCreatesNoList() {
        for (String name : List.of("one", "two", "three", "solo")) {
            ssh.write("roles/" + name, Map.of("key_type", "otp", "default_user", "u")).assertNoContent();
        }
        ssh.delete("roles/solo").assertNoContent();
        assertNull(ssh.read("config/zeroaddress").data(), "a role delete creates no zero-address list");

        ssh.write("config/zeroaddress", Map.of("roles", List.of("three", "one", "two"))).assertNoContent();
        ssh.delete("roles/one").assertNoContent();
        assertEquals(Map.of("roles", List.of("three", "two")), ssh.read("config/zeroaddress").data());
    }

    @Test
    void aPathNoPatternMatchesAndAnOperationAPathLacksAreVaultsErrors() {
        ssh.read("nonsense/path").assertError(404, "unsupported path");
        ssh.delete("creds/web").assertError(405, "unsupported operation");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
