package dev.latchkey.engine.ssh;

import dev.latchkey.testing.BackendHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code lookup} on the engine itself: which roles admit an address. Latchkey honours exclusions,
 * lists no role twice and quotes an invalid address (README, "Deliberate differences from Vault").
 */
class LookupPathTest {
    private final BackendHarness ssh = BackendHarness.create();

    private void otpRole(String name, String cidrList, String excludeCidrList) {
        ssh.write("roles/" + name, Map.of("key_type", "otp", "default_user", "u", "cidr_list", cidrList,
                "exclude_cidr_list", excludeCidrList)).assertNoContent();
    }

    private Object rolesFor(String ip) {
        Map<String, Object> data = ssh.write("lookup", Map.of("ip", ip)).data();
        assertEquals(List.of("roles"), List.copyOf(data.keySet()), "the answer holds roles alone");
        return data.get("roles");
    }

    @Test
    void anAbsentOrEmptyIpIsMissing() {
        ssh.write("lookup", Map.of()).assertError(400, "Missing ip");
        ssh.write("lookup", Map.of("ip", "")).assertError(400, "Missing ip");
    }

    /** Vault prints {@code <nil>} here; Latchkey quotes the input. */
    @ParameterizedTest
    @ValueSource(strings = {"not-an-ip", "fe80::1%eth0", "010.0.0.1", " 10.0.0.1", "10.0.0.0/8", "host.example.com"})
    void anInvalidIpIsEchoedAsSent(String ip) {
        ssh.write("lookup", Map.of("ip", ip)).assertError(400, "Invalid IP \"" + ip + "\"");
    }

    /** Vault answers {@code "roles": null}, not an empty list, when no role admits the address. */
    @Test
    void noRoleMatchingIsRolesNull() {
        Map<String, Object> noRoles = new HashMap<>();
        noRoles.put("roles", null);
        assertEquals(noRoles, ssh.write("lookup", Map.of("ip", "10.0.0.1")).data(), "no roles at all");
        otpRole("ten", "10.0.0.0/8", "");
        otpRole("none", "", "");
        assertNull(rolesFor("192.0.2.1"));
        assertNull(rolesFor("2001:db8::1"));
    }

    @Test
    void matchingRolesComeInLexicographicOrder() {
        otpRole("zeta", "10.0.0.0/8", "");
        otpRole("alpha", "10.1.0.0/16", "");
        otpRole("Mid", "0.0.0.0/0", "");
        otpRole("beta", "192.168.0.0/16", "");
        otpRole("gamma", "", "");
        assertEquals(List.of("Mid", "alpha", "zeta"), rolesFor("10.1.2.3"));
        assertEquals(List.of("Mid", "zeta"), rolesFor("10.2.0.1"));
        assertEquals(List.of("Mid", "beta"), rolesFor("192.168.9.9"));
    }

    @Test
    void exclusionsAreHonoured() {
        otpRole("carved", "10.0.0.0/8", "10.1.0.0/16");
        otpRole("whole", "10.0.0.0/8", "");
        assertEquals(List.of("whole"), rolesFor("10.1.2.3"));
        assertEquals(List.of("carved", "whole"), rolesFor("10.2.2.3"));
    }

    @Test
    void theIpIsNormalisedAndCidrItemsAreTrimmed() {
        otpRole("v4", "172.16.0.0/12, 192.168.0.0/16", "");
        otpRole("v6", "2001:db8::/32", "2001:db8:1::/48");
        otpRole("all-v6", "::/0", "");
        assertEquals(List.of("v4"), rolesFor("192.168.1.1"));
        assertEquals(List.of("v4"), rolesFor("::ffff:192.168.1.1"));
        assertEquals(List.of("all-v6", "v6"), rolesFor("2001:DB8:0::1"));
        assertEquals(List.of("all-v6"), rolesFor("2001:db8:1::1"));
    }

    /** CIDR matches first (sorted), then the zero-address list as stored, less what is already there. */
    @Test
    void zeroAddressRolesFollowWithoutDuplicates() {
        otpRole("a-net", "10.0.0.0/8", "");
        otpRole("b-net", "10.0.0.0/8", "");
        otpRole("c-any", "", "");
        otpRole("d-any", "192.0.2.0/24", "");
        ssh.write("config/zeroaddress", Map.of("roles", List.of("d-any", "c-any", "a-net"))).assertNoContent();
        assertEquals(List.of("a-net", "b-net", "d-any", "c-any"), rolesFor("10.0.0.1"));
        assertEquals(List.of("d-any", "c-any", "a-net"), rolesFor("192.0.2.5"));
        assertEquals(List.of("d-any", "c-any", "a-net"), rolesFor("203.0.113.9"));
        assertEquals(List.of("d-any", "c-any", "a-net"), rolesFor("2001:db8::1"));

        for (String name : List.of("d-any", "c-any", "a-net")) {
            ssh.delete("roles/" + name).assertNoContent();
        }
        assertEquals(List.of("b-net"), rolesFor("10.0.0.1"), "an emptied zero-address list adds nothing");
        assertNull(rolesFor("203.0.113.9"));
    }
}
