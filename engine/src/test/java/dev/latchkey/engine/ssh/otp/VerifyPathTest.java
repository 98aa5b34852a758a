package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.storage.CorruptRecordException;
import dev.latchkey.engine.storage.SaltedHash;
import dev.latchkey.testing.BackendHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify} on the engine itself, as vault-ssh-helper calls it from a host's PAM stack: it
 * needs no token, redeems an OTP exactly once, and answers the helper's echo request.
 */
class VerifyPathTest {
    private final BackendHarness ssh = BackendHarness.create();

    @BeforeEach
    void otpRole() {
        ssh.write("roles/web", Map.of("key_type", "otp", "default_user", "ubuntu",
                "cidr_list", "10.0.0.0/8,2001:db8::/32")).assertNoContent();
    }

    private String mint(String role, String ip) {
        return (String) ssh.as(BackendHarness.ROOT).write("creds/" + role, Map.of("ip", ip)).data().get("key");
    }

    private BackendHarness helper() {
        return ssh.as(Caller.ANONYMOUS);
    }

    @Test
    void theEchoRequestIsAnsweredWithoutAnyOtpOrRole() {
        BackendHarness empty = BackendHarness.create().as(Caller.ANONYMOUS);
        assertEquals(Map.of("message", "verify-echo-response"),
                empty.write("verify", Map.of("otp", "verify-echo-request")).data());
    }

    @Test
    void anOtpRedeemsOnceForItsUserAddressAndRole() {
        assertTrue(ssh.backend().isUnauthenticated("verify"), "the host helper verifies without a token");
        String otp = mint("web", "10.0.0.5");
        assertEquals(Map.of("username", "ubuntu", "ip", "10.0.0.5", "role_name", "web"),
                helper().write("verify", Map.of("otp", otp)).data());
        helper().write("verify", Map.of("otp", otp)).assertError(400, "OTP not found");
    }

    @Test
    void theAddressComesBackNormalised() {
        String otp = mint("web", "2001:DB8:0:0::42");
        assertEquals(Map.of("username", "ubuntu", "ip", "2001:db8::42", "role_name", "web"),
                helper().write("verify", Map.of("otp", otp)).data());
    }

    /** Unknown, empty, null, absent, and the echo request with anything added. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"otp\":\"6f1e4c2a-0b7d-4e39-9a51-3c8d2f7b1e60\"}", "{\"otp\":\"\"}",
            "{\"otp\":\"verify-echo-request \"}", "{\"otp\":null}", "{}"})
    void anythingButAnOutstandingOtpIsNotFound(String request) {
        helper().writeJson("verify", request).assertError(400, "OTP not found");
    }

    @Test
    void anOtpIsCaseSensitive() {
        String otp = mint("web", "10.0.0.7");
        String upper = otp.toUpperCase();
        if (!upper.equals(otp)) {
            helper().write("verify", Map.of("otp", upper)).assertError(400, "OTP not found");
        }
        assertEquals("10.0.0.7", helper().write("verify", Map.of("otp", otp)).data().get("ip"));
    }

    @Test
    void anOtpOutlivesItsRoleUntilUsed() {
        ssh.write("roles/short-lived", Map.of("key_type", "otp", "default_user", "deploy", "cidr_list", "10.0.0.0/8"))
                .assertNoContent();
        String otp = mint("short-lived", "10.0.0.15");
        ssh.delete("roles/short-lived").assertNoContent();
        assertEquals(Map.of("username", "deploy", "ip", "10.0.0.15", "role_name", "short-lived"),
                helper().write("verify", Map.of("otp", otp)).data());
    }

    /**
     * Twenty-two bytes without a token once cost seconds and gigabytes: the exponent was written
     * out. A number no string can hold is a 400 now, and one that can is an OTP like any other.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e2000000000", "1e2147483647", "1e-2000000000", "-1e-2147483647", "123456789e999999999"})
    void anAbsurdNumberAsOtpIsACheapBadRequest(String number) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> helper().writeJson("verify", "{\"otp\":" + number + "}")
                .assertError(400, "Field validation failed: error converting input " + new BigDecimal(number)
                        + " for field \"otp\": exponent out of range for a string"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"22.0", "1e1000", "-1e-1000"})
    void aNumberThatFitsIsLookedUpAsText(String number) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> helper().writeJson("verify", "{\"otp\":" + number + "}")
                .assertError(400, "OTP not found"));
        String thousandDigits = "7".repeat(1000);
        helper().writeJson("verify", "{\"otp\":" + thousandDigits + "}").assertError(400, "OTP not found");
    }

    /**
     * An OTP ends with its lease even when nothing revokes it (its lease entry lost or deleted):
     * the engine is never told here, only the clock moves. Past its expiry it is refused exactly
     * as an unknown OTP is, and its record is gone.
     */
    @ParameterizedTest(name = "lease TTL {0} s, used {1} ms later: redeemed {2}")
    @CsvSource(delimiter = '|', textBlock = """
            3600    | 3599999 | true
            3600    | 3600000 | false
            3600    | 7200000 | false
            60      | 59000   | true
            60      | 61000   | false
            2764800 | 2764799000 | true
            2764800 | 2764800000 | false
            """)
    void anOtpExpiresWithItsLeaseTtlEvenIfNothingRevokesIt(long ttlSeconds, long laterMillis, boolean redeemed) {
        MountInfo mount = new MountInfo("ssh/", BackendHarness.MOUNT.uuid(), BackendHarness.MOUNT.accessor(),
                ttlSeconds, BackendHarness.MOUNT.maxLeaseTtl());
        String otp = (String) ssh.through(mount).write("creds/web", Map.of("ip", "10.0.0.9")).data().get("key");
        ssh.advanceClock(Duration.ofMillis(laterMillis));
        if (redeemed) {
            assertEquals("10.0.0.9", helper().write("verify", Map.of("otp", otp)).data().get("ip"));
        } else {
            helper().write("verify", Map.of("otp", otp)).assertError(400, "OTP not found");
        }
        assertTrue(ssh.storage().keys().stream().noneMatch(k -> k.startsWith("otp/")), "the record is gone either way");
        helper().write("verify", Map.of("otp", otp)).assertError(400, "OTP not found");
    }
    private String key(String otp) {
        return "otp/" + new SaltedHash(ssh.storage(), "salt").of(otp);
    }

    /**
     * A record is compact binary: a format byte, the expiry, then each field as a length and
     * UTF-8; for ubuntu@10.0.0.9 on role web, 38 bytes where the JSON object took about 90.
     */
    @Test
    void aRecordIsStoredAsCompactBinary() {
        String otp = mint("web", "10.0.0.9");
        byte[] record = ssh.storage().get(key(otp)).orElseThrow();
        assertEquals(1, record[0], "the format byte");
        assertEquals(1 + 8 + 4 + "ubuntu".length() + 4 + "10.0.0.9".length() + 4 + "web".length(), record.length);
        assertEquals(Map.of("username", "ubuntu", "ip", "10.0.0.9", "role_name", "web"),
                helper().write("verify", Map.of("otp", otp)).data());
    }

    /** Records a node wrote in the earlier JSON form, with their own expiry or without one, are still read. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an expiry to come      | {"username":"alice","ip":"10.0.0.7","role_name":"web","expires_at":253402300799000} | true
            no expiry of its own   | {"username":"alice","ip":"10.0.0.7","role_name":"web"}                               | true
            an expiry passed       | {"username":"alice","ip":"10.0.0.7","role_name":"web","expires_at":1}                | false
            """)
    void aRecordInTheEarlierJsonFormIsStillRead(String what, String json, boolean redeemed) {
        String otp = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        ssh.storage().put(key(otp), json.getBytes(StandardCharsets.UTF_8));
        if (redeemed) {
            assertEquals(Map.of("username", "alice", "ip", "10.0.0.7", "role_name", "web"),
                    helper().write("verify", Map.of("otp", otp)).data());
        } else {
            helper().write("verify", Map.of("otp", otp)).assertError(400, "OTP not found");
        }
        assertTrue(ssh.storage().get(key(otp)).isEmpty(), "taken either way");
    }

    /** A record that cannot be read is a server fault, never a user's OTP answered wrongly. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty                         | ''
            an unknown format             | 02
            truncated in the expiry       | 01 00 00 01
            a length past the end         | 01 00 00 00 00 00 00 00 00 00 00 00 ff
            bytes after the last field    | 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 07
            """)
    void anUnreadableRecordIsAServerFault(String what, String hex) {
        String otp = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        ssh.storage().put(key(otp), HexFormat.of().parseHex(hex.replace(" ", "")));
        assertThrows(CorruptRecordException.class, () -> helper().write("verify", Map.of("otp", otp)));
    }
}
