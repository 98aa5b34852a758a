package dev.latchkey.engine.ssh;

import dev.latchkey.testing.BackendHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code roles/:role} on the engine itself, without HTTP: what an OTP role stores and reads back. */
class RolesPathTest {
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

    @Test
    void listShowsTheRoleAndDeleteRemovesIt() {
        ssh.write("roles/web", Map.of("key_type", "otp", "default_user", "ubuntu")).assertNoContent();
        ssh.write("roles/db", Map.of("key_type", "otp", "default_user", "postgres")).assertNoContent();
        assertEquals(List.of("db", "web"), ssh.list("roles").data().get("keys"));
        ssh.delete("roles/web").assertNoContent();
        assertNull(ssh.read("roles/web").data(), "a read that finds nothing has no body: Vault's 404");
        assertEquals(List.of("db"), ssh.list("roles").data().get("keys"));
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
            65535                | 65535
            """)
    void thePortTakesNumbersNumericTextAndBooleans(String json, int stored) {
        ssh.writeJson("roles/p", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":" + json + "}").assertNoContent();
        assertEquals(stored, ssh.read("roles/p").data().get("port"));
    }

    @ParameterizedTest(name = "port {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # JSON value of port | error
            70000                | invalid port 70000: must be between 1 and 65535
            -1                   | invalid port -1: must be between 1 and 65535
            "abc"                | Field validation failed: error converting input abc for field "port": cannot parse 'abc' as int: strconv.ParseInt: parsing "abc": invalid syntax
            """)
    void aPortThatIsNotATcpPortIsRefused(String json, String error) {
        ssh.writeJson("roles/p", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":" + json + "}")
                .assertError(400, error);
        assertNull(ssh.read("roles/p").data(), "nothing is stored");
    }

    @Test
    void aPathNoPatternMatchesAndAnOperationAPathLacksAreVaultsErrors() {
        ssh.read("nonsense/path").assertError(404, "unsupported path");
        ssh.delete("creds/web").assertError(405, "unsupported operation");
    }
}
