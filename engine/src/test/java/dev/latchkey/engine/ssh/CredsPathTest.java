package dev.latchkey.engine.ssh;

import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code creds/:role} on the engine itself, for OTP roles: which users and addresses a role
 * admits, and the errors in Vault's order of checks (the IP is present, the role exists, the user
 * is allowed, the IP is a literal, the role's lists admit it). The OTP and its lease:
 * {@code otp.OtpLeaseTest}; dynamic roles: {@code dynamic.DynamicCredsTest}.
 */
class CredsPathTest {
    private static final String NOT_IN_ROLE = "Error validating IP: IP does not belong to role";
    /** The refusals the tables name by a word. */
    private static final Map<String, String> ERRORS = Map.of(
            "refused", NOT_IN_ROLE,
            "not-default", "Username has to be either in allowed users list or has to be a default username",
            "not-allowed", "Username is not present is allowed users list");

    private final BackendHarness ssh = BackendHarness.create();

    @BeforeEach
    void roles() {
        otpRole("anywhere", "0.0.0.0/0,::/0", "", ""); // admits every address, so only the step under test can fail
        otpRole("narrow", "10.0.0.0/24", "", "");
        ssh.write("roles/ca", Map.of("key_type", "ca", "allow_user_certificates", true)).assertNoContent();
    }

    private void otpRole(String name, String cidrList, String excludeCidrList, String allowedUsers) {
        ssh.write("roles/" + name, Map.of("key_type", "otp", "default_user", "ubuntu", "cidr_list", cidrList,
                "exclude_cidr_list", excludeCidrList, "allowed_users", allowedUsers)).assertNoContent();
    }

    /** {@code creds} for an address, with a username unless it is null. */
    private Reply creds(String role, String ip, String username) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ip", ip);
        if (username != null) {
            fields.put("username", username);
        }
        return ssh.write("creds/" + role, fields);
    }

    /** The address and user an OTP was issued for ({@code "10.0.0.5 ubuntu"}), or the message of the 400. */
    private static String outcome(Reply reply) {
        if (reply.error() != null) {
            assertEquals(400, reply.error().status(), reply.error().getMessage());
            return reply.error().getMessage();
        }
        return reply.data().get("ip") + " " + reply.data().get("username");
    }

    @Test
    void anOtpCarriesTheAddressTheUserAndTheRolesPort() {
        ssh.write("roles/web", Map.of("key_type", "otp", "default_user", "ubuntu", "cidr_list", "10.0.0.0/8",
                "port", 2222)).assertNoContent();
        Map<String, Object> data = ssh.write("creds/web", Map.of("ip", "10.0.0.5")).data();
        assertEquals(Map.of("ip", "10.0.0.5", "key", data.get("key"), "key_type", "otp", "port", 2222,
                "username", "ubuntu"), data);
    }

    /**
     * Each row fails one check and would fail the later ones too, so the rows pin Vault's order.
     * A CA role may lack a default user; OTP and dynamic role writes refuse that.
     */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role       | request                                  | error
            anywhere     | {}                                       | Missing ip
            anywhere     | {"ip":""}                                | Missing ip
            anywhere     | {"username":"ubuntu"}                    | Missing ip
            no-such-role | {}                                       | Missing ip
            no-such-role | {"ip":"10.0.0.1"}                        | Role "no-such-role" not found
            no-such-role | {"ip":"not-an-ip","username":"nobody"}   | Role "no-such-role" not found
            ca           | {"ip":"not-an-ip"}                       | No default username registered. Use 'username' option
            anywhere     | {"ip":"not-an-ip","username":"intruder"} | Username has to be either in allowed users list or has to be a default username
            narrow       | {"ip":"192.0.2.1","username":"intruder"} | Username has to be either in allowed users list or has to be a default username
            narrow       | {"ip":"host.example"}                    | Invalid IP "host.example"
            narrow       | {"ip":"192.0.2.1"}                       | Error validating IP: IP does not belong to role
            """)
    void theChecksRunInVaultsOrder(String role, String request, String error) {
        ssh.writeJson("creds/" + role, request).assertError(400, error);
    }

    /**
     * Without allowed_users only the default user; with a list, its trimmed items and the default
     * user; with {@code *}, anyone. A missing or empty username is the default user. Names are
     * case-sensitive.
     */
    @ParameterizedTest(name = "allowed_users \"{0}\", username {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # allowed_users      | username  | issued for, or refused
            ''                   |           | ubuntu
            ''                   | ''        | ubuntu
            ''                   | ubuntu    | ubuntu
            ''                   | root      | not-default
            ''                   | Ubuntu    | not-default
            ''                   | ' ubuntu' | not-default
            'alice, bob ,carol'  | alice     | alice
            'alice, bob ,carol'  | bob       | bob
            'alice, bob ,carol'  | carol     | carol
            'alice, bob ,carol'  | ubuntu    | ubuntu
            'alice, bob ,carol'  |           | ubuntu
            'alice, bob ,carol'  | dave      | not-allowed
            'alice, bob ,carol'  | Alice     | not-allowed
            'alice, bob ,carol'  | UBUNTU    | not-allowed
            'alice, bob ,carol'  | *         | not-allowed
            *                    | whoever   | whoever
            *                    | Root      | Root
            *                    |           | ubuntu
            ' * '                | whoever   | not-allowed
            ' * '                | *         | *
            """)
    void allowedUsersDecideWhoGetsAnOtp(String allowedUsers, String username, String issuedFor) {
        otpRole("users", "0.0.0.0/0", "", allowedUsers);
        assertEquals(ERRORS.getOrDefault(issuedFor, "10.0.0.1 " + issuedFor), outcome(creds("users", "10.0.0.1", username)));
    }

    /** The ip must be an IP literal as Go's net.ParseIP reads it; an empty ip is "Missing ip" (above). */
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "host.example.com", "fe80::1%eth0", "fe80::1%25eth0", "010.0.0.1",
            "10.0.0.256", "1.2.3", "1.2.3.4.5", " ", " 10.0.0.1", "10.0.0.1 ", "10.0.0.0/8", "::ffff:1.2.3",
            "2001:db8:::1", "[::1]", "0x0a.0.0.1"})
    void anythingButAnIpLiteralIsAnInvalidIp(String ip) {
        creds("anywhere", ip, null).assertError(400, "Invalid IP \"" + ip + "\"");
    }

    /** One OTP role per row, for the default user; {@code refused} is Vault's "IP does not belong to role". */
    @ParameterizedTest(name = "cidr_list \"{0}\" exclude \"{1}\": {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # cidr_list                | exclude_cidr_list            | ip                     | issued for, or refused
            # an address outside the list is refused
            10.0.0.0/8                 | ''                           | 10.255.255.255         | 10.255.255.255
            10.0.0.0/8                 | ''                           | 11.0.0.0               | refused
            10.0.0.0/8                 | ''                           | 9.255.255.255          | refused
            # an exclusion wins over the list
            10.0.0.0/8                 | 10.1.0.0/16,10.2.3.4/32      | 10.0.0.1               | 10.0.0.1
            10.0.0.0/8                 | 10.1.0.0/16,10.2.3.4/32      | 10.1.200.7             | refused
            10.0.0.0/8                 | 10.1.0.0/16,10.2.3.4/32      | 10.2.3.4               | refused
            10.0.0.0/8                 | 10.1.0.0/16,10.2.3.4/32      | 10.2.3.5               | 10.2.3.5
            # a role without cidr_list admits no address
            ''                         | ''                           | 10.0.0.1               | refused
            ''                         | ''                           | ::1                    | refused
            # IPv6 addresses are normalised
            2001:db8::/32              | ''                           | 2001:DB8:0::1          | 2001:db8::1
            2001:db8::/32              | ''                           | 2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1
            2001:db8::/32              | ''                           | 2001:db8:0:0:1:0:0:1   | 2001:db8::1:0:0:1
            2001:db8::/32              | ''                           | 2001:db9::1            | refused
            # an IPv4-mapped address becomes IPv4 and is matched by IPv4 networks
            10.0.0.0/8                 | ''                           | ::ffff:10.0.0.5        | 10.0.0.5
            10.0.0.0/8                 | ''                           | ::FFFF:0a00:0006       | 10.0.0.6
            10.0.0.0/8                 | ''                           | ::ffff:11.0.0.5        | refused
            # the IPv4-mapped network contains the IPv4 addresses
            ::ffff:0:0/96              | ''                           | 192.168.1.1            | 192.168.1.1
            ::ffff:0:0/96              | ''                           | 2001:db8::1            | refused
            # all of IPv6 contains no IPv4 address, mapped or not
            ::/0                       | ''                           | 10.0.0.1               | refused
            ::/0                       | ''                           | ::ffff:10.0.0.1        | refused
            ::/0                       | ''                           | 2001:db8::1            | 2001:db8::1
            ::/0                       | ''                           | ::1                    | ::1
            # an IPv4 network contains no IPv6 address
            0.0.0.0/0                  | ''                           | 2001:db8::1            | refused
            0.0.0.0/0                  | ''                           | ::1                    | refused
            # IPv6 networks with exclusions
            2001:db8::/32, fd00::/8    | 2001:db8:1::/48,fd00::5/128  | 2001:db8:2::5          | 2001:db8:2::5
            2001:db8::/32, fd00::/8    | 2001:db8:1::/48,fd00::5/128  | 2001:db8:1::5          | refused
            2001:db8::/32, fd00::/8    | 2001:db8:1::/48,fd00::5/128  | 2001:DB8:1:0::9        | refused
            2001:db8::/32, fd00::/8    | 2001:db8:1::/48,fd00::5/128  | fd00::4                | fd00::4
            2001:db8::/32, fd00::/8    | 2001:db8:1::/48,fd00::5/128  | FD00::5                | refused
            # items are trimmed, where Vault never matches an item after ", " (README, "Deliberate
            # differences from Vault": CIDR list items are trimmed everywhere)
            10.0.0.0/8, 192.168.0.0/16 | ' 192.168.5.0/24 '           | 192.168.1.1            | 192.168.1.1
            10.0.0.0/8, 192.168.0.0/16 | ' 192.168.5.0/24 '           | 10.0.0.1               | 10.0.0.1
            10.0.0.0/8, 192.168.0.0/16 | ' 192.168.5.0/24 '           | 192.168.5.5            | refused
            """)
    void cidrListsDecideWhichAddressesGetAnOtp(String cidrList, String excludeCidrList, String ip, String issuedFor) {
        otpRole("cidrs", cidrList, excludeCidrList, "");
        assertEquals(ERRORS.getOrDefault(issuedFor, issuedFor + " ubuntu"), outcome(creds("cidrs", ip, null)));
    }

    /**
     * A role on the zero-address list admits any address whatever its own lists say; the checks
     * before the address still apply, and deleting the list ends the exemption.
     */
    @ParameterizedTest(name = "{0} {1}: {2}, then {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # role      | ip                | user | while listed              | once the list is deleted
            zero-listed | 10.0.0.5          |      | 10.0.0.5 ubuntu           | refused
            zero-listed | 8.8.8.8           |      | 8.8.8.8 ubuntu            | refused
            zero-empty  | 8.8.8.8           |      | 8.8.8.8 ubuntu            | refused
            zero-empty  | 2001:DB8::7       |      | 2001:db8::7 ubuntu        | refused
            zero-empty  | ::ffff:172.16.0.1 |      | 172.16.0.1 ubuntu         | refused
            zero-empty  | no.such.host      |      | Invalid IP "no.such.host" | Invalid IP "no.such.host"
            zero-empty  | 10.0.0.1          | eve  | not-default               | not-default
            plain       | 10.0.0.5          |      | refused                   | refused
            """)
    void zeroAddressRolesAdmitAnyAddress(String role, String ip, String user, String listed, String unlisted) {
        otpRole("zero-listed", "10.0.0.0/8", "10.0.0.0/24", "");
        otpRole("zero-empty", "", "", "");
        otpRole("plain", "10.0.0.0/8", "10.0.0.0/24", "");
        ssh.write("config/zeroaddress", Map.of("roles", List.of("zero-listed", "zero-empty"))).assertNoContent();
        assertEquals(ERRORS.getOrDefault(listed, listed), outcome(creds(role, ip, user)));
        ssh.delete("config/zeroaddress").assertNoContent();
        assertEquals(ERRORS.getOrDefault(unlisted, unlisted), outcome(creds(role, ip, user)));
    }
}
