package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.latchkey.api.ssh.otp.OtpFixtures.OTP_LAYOUT;
import static dev.latchkey.api.ssh.otp.OtpFixtures.creds;
import static dev.latchkey.api.ssh.otp.OtpFixtures.mint;
import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.otpRole;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * {@code POST <mount>/creds/:role} for OTP roles: data, lease, the errors in Vault's order of checks,
 * CIDR matching and the username rules.
 */
class CredsTest {
    private static final String NOT_IN_ROLE = "Error validating IP: IP does not belong to role";
    private static final String NOT_DEFAULT = "Username has to be either in allowed users list or has to be a default username";
    private static final String NOT_ALLOWED = "Username is not present is allowed users list";

    private static String mount;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("creds");
        // admits every address, so only the step under test can fail
        otpRole(mount, "anywhere", "ubuntu", "0.0.0.0/0,::/0", "");
    }


    private static Response credsFor(String role, String ip) {
        return creds(mount, role, "{\"ip\":" + quote(ip) + "}");
    }

    private static Response credsFor(String role, String ip, String username) {
        return creds(mount, role, "{\"ip\":" + quote(ip) + ",\"username\":" + quote(username) + "}");
    }

    private static void assertIssued(Response r, String ip, String username) {
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getString("data.ip"), is(ip));
        assertThat(r.jsonPath().getString("data.username"), is(username));
    }

    // ---- success ----

    @Test
    void successCarriesExactlyTheOtpDataAndALease() {
        role(mount, "full", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\",\"port\":2222}");
        Response r = credsFor("full", "10.0.0.5");
        assertThat(r.asString(), r.statusCode(), is(200));
        JsonPath j = r.jsonPath();
        Map<String, Object> data = j.getMap("data");
        assertThat(data.keySet(), equalTo(Set.of("ip", "key", "key_type", "port", "username")));
        assertThat(data.get("ip"), is("10.0.0.5"));
        assertThat(data.get("key_type"), is("otp"));
        assertThat(data.get("username"), is("ubuntu"));
        assertThat(data.get("port"), instanceOf(Integer.class));
        assertThat(data.get("port"), is(2222));
        assertThat((String) data.get("key"), matchesPattern(OTP_LAYOUT));
        // lease: <mount>/creds/<role>/<24 base62>, not renewable, mount default TTL (768 h)
        assertThat(j.getString("lease_id"), matchesPattern("^" + mount + "/creds/full/[0-9A-Za-z]{24}$"));
        assertThat(j.getBoolean("renewable"), is(false));
        assertThat(j.get("lease_duration"), is(2764800));
        assertThat(j.getString("mount_type"), is("ssh"));
    }

    @Test
    void leaseIsKnownToSysLeases() {
        String leaseId = mint(mount, "anywhere", "192.0.2.1").getString("lease_id");
        Response l = DevServer.root().contentType("application/json").body("{\"lease_id\":" + quote(leaseId) + "}")
                .put("/v1/sys/leases/lookup").andReturn();
        assertThat(l.asString(), l.statusCode(), is(200));
        assertThat(l.jsonPath().getString("data.id"), is(leaseId));
        assertThat(l.jsonPath().getBoolean("data.renewable"), is(false));
    }

    @Test
    void explicitDefaultUserAndEmptyUsernameBothResolveToTheDefault() {
        assertIssued(credsFor("anywhere", "10.1.2.3", "ubuntu"), "10.1.2.3", "ubuntu");
        assertIssued(credsFor("anywhere", "10.1.2.3", ""), "10.1.2.3", "ubuntu");
    }

    @Test
    void everyOtpHasTheLayoutAndIsDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String otp = mint(mount, "anywhere", "10.0.0." + (i + 1)).getString("data.key");
            assertThat(otp, matchesPattern(OTP_LAYOUT));
            assertThat("OTP repeated: " + otp, seen.add(otp), is(true));
        }
        // same target twice still gives two different OTPs
        assertThat(mint(mount, "anywhere", "10.0.0.1").getString("data.key"),
                is(org.hamcrest.Matchers.not(mint(mount, "anywhere", "10.0.0.1").getString("data.key"))));
    }

    @Test
    void postAndPutAreTheSame() {
        Response put = DevServer.root().contentType("application/json").body("{\"ip\":\"10.9.9.9\"}")
                .put("/v1/" + mount + "/creds/anywhere").andReturn();
        assertIssued(put, "10.9.9.9", "ubuntu");
    }

    @Test
    void credsNeedAToken() {
        Response r = DevServer.anonymous().contentType("application/json").body("{\"ip\":\"10.0.0.1\"}")
                .post("/v1/" + mount + "/creds/anywhere").andReturn();
        assertThat(r.statusCode(), is(403));
    }

    // ---- errors, in Vault's order: ip, role, username, IP literal, CIDR lists ----

    @Test
    void step1MissingIp() {
        assertError(creds(mount, "anywhere", "{}"), 400, "Missing ip");
        assertError(creds(mount, "anywhere", "{\"ip\":\"\"}"), 400, "Missing ip");
        assertError(creds(mount, "anywhere", "{\"username\":\"ubuntu\"}"), 400, "Missing ip");
        // before the role lookup
        assertError(creds(mount, "no-such-role", "{}"), 400, "Missing ip");
    }

    @Test
    void step2RoleNotFound() {
        assertError(credsFor("no-such-role", "10.0.0.1"), 400, "Role \"no-such-role\" not found");
        // before the username and IP checks
        assertError(credsFor("no-such-role", "not-an-ip", "nobody"), 400, "Role \"no-such-role\" not found");
    }

    // Step 3 ("No default username registered. Use 'username' option") is unreachable over the API:
    // a role write refuses an OTP role without default_user, and an empty username falls back to it.

    @Test
    void step4UsernameComesBeforeTheIpChecks() {
        assertError(credsFor("anywhere", "not-an-ip", "intruder"), 400, NOT_DEFAULT);
        otpRole(mount, "narrow", "ubuntu", "10.0.0.0/24", "");
        assertError(credsFor("narrow", "192.0.2.1", "intruder"), 400, NOT_DEFAULT);
    }

    @Test
    void step5InvalidIpComesBeforeTheCidrCheck() {
        otpRole(mount, "narrow5", "ubuntu", "10.0.0.0/24", "");
        assertError(credsFor("narrow5", "host.example"), 400, "Invalid IP \"host.example\"");
    }

    // ---- username rules ----

    @Test
    void emptyAllowedUsersAdmitsOnlyTheDefaultUserCaseSensitively() {
        assertIssued(credsFor("anywhere", "10.0.0.1", "ubuntu"), "10.0.0.1", "ubuntu");
        assertError(credsFor("anywhere", "10.0.0.1", "root"), 400, NOT_DEFAULT);
        assertError(credsFor("anywhere", "10.0.0.1", "Ubuntu"), 400, NOT_DEFAULT);
        assertError(credsFor("anywhere", "10.0.0.1", " ubuntu"), 400, NOT_DEFAULT);
    }

    @Test
    void allowedUsersListIsTrimmedCaseSensitiveAndAlwaysAdmitsTheDefaultUser() {
        role(mount, "listed", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"0.0.0.0/0\","
                + "\"allowed_users\":\"alice, bob ,carol\"}");
        assertIssued(credsFor("listed", "10.0.0.1", "alice"), "10.0.0.1", "alice");
        assertIssued(credsFor("listed", "10.0.0.1", "bob"), "10.0.0.1", "bob");
        assertIssued(credsFor("listed", "10.0.0.1", "carol"), "10.0.0.1", "carol");
        assertIssued(credsFor("listed", "10.0.0.1", "ubuntu"), "10.0.0.1", "ubuntu");
        assertIssued(credsFor("listed", "10.0.0.1"), "10.0.0.1", "ubuntu");
        assertError(credsFor("listed", "10.0.0.1", "dave"), 400, NOT_ALLOWED);
        assertError(credsFor("listed", "10.0.0.1", "Alice"), 400, NOT_ALLOWED);
        assertError(credsFor("listed", "10.0.0.1", "UBUNTU"), 400, NOT_ALLOWED);
        assertError(credsFor("listed", "10.0.0.1", "*"), 400, NOT_ALLOWED);
    }

    @Test
    void starAdmitsAnyUsername() {
        role(mount, "star", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"0.0.0.0/0\","
                + "\"allowed_users\":\"*\"}");
        assertIssued(credsFor("star", "10.0.0.1", "whoever"), "10.0.0.1", "whoever");
        assertIssued(credsFor("star", "10.0.0.1", "Root"), "10.0.0.1", "Root");
        assertIssued(credsFor("star", "10.0.0.1"), "10.0.0.1", "ubuntu");
    }

    @Test
    void starWithSpacesIsJustAListItem() {
        role(mount, "spaced-star", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"0.0.0.0/0\","
                + "\"allowed_users\":\" * \"}");
        assertError(credsFor("spaced-star", "10.0.0.1", "whoever"), 400, NOT_ALLOWED);
        assertIssued(credsFor("spaced-star", "10.0.0.1", "*"), "10.0.0.1", "*");
    }

    // ---- the ip must be an IP literal (Go's net.ParseIP) ----

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "host.example.com", "fe80::1%eth0", "fe80::1%25eth0", "010.0.0.1",
            "10.0.0.256", "1.2.3", "1.2.3.4.5", " ", " 10.0.0.1", "10.0.0.1 ", "10.0.0.0/8", "::ffff:1.2.3",
            "2001:db8:::1", "[::1]", "0x0a.0.0.1"})
    void nonLiteralsAreInvalidIp(String ip) {
        // (an empty ip never gets here: it is step 1, "Missing ip", see step1MissingIp)
        assertError(credsFor("anywhere", ip), 400, "Invalid IP " + goQuote(ip));
    }

    /** Go's %q for the printable ASCII this test uses. */
    private static String goQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- CIDR matching ----

    /** One OTP role per row; {@code refused} is Vault's "IP does not belong to role". */
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
        otpRole(mount, "cidrs", "ubuntu", cidrList, excludeCidrList);
        if (issuedFor.equals("refused")) {
            assertError(credsFor("cidrs", ip), 400, NOT_IN_ROLE);
        } else {
            assertIssued(credsFor("cidrs", ip), issuedFor, "ubuntu");
        }
    }

    @Test
    void zeroAddressRoleAdmitsAnyIpRegardlessOfItsLists() {
        String m = DevServer.enableSsh("creds-zero");
        otpRole(m, "zero-listed", "ubuntu", "10.0.0.0/8", "10.0.0.0/24");
        otpRole(m, "zero-empty", "ubuntu", "", "");
        otpRole(m, "plain", "ubuntu", "10.0.0.0/8", "10.0.0.0/24");
        OtpFixtures.zeroAddress(m, "[\"zero-listed\",\"zero-empty\"]");

        assertIssued(creds(m, "zero-listed", "{\"ip\":\"10.0.0.5\"}"), "10.0.0.5", "ubuntu"); // excluded, but zero-address
        assertIssued(creds(m, "zero-listed", "{\"ip\":\"8.8.8.8\"}"), "8.8.8.8", "ubuntu");   // outside, but zero-address
        assertIssued(creds(m, "zero-empty", "{\"ip\":\"2001:DB8::7\"}"), "2001:db8::7", "ubuntu");
        assertIssued(creds(m, "zero-empty", "{\"ip\":\"::ffff:172.16.0.1\"}"), "172.16.0.1", "ubuntu");
        assertError(creds(m, "plain", "{\"ip\":\"10.0.0.5\"}"), 400, NOT_IN_ROLE);

        // the earlier steps still apply to zero-address roles
        assertError(creds(m, "zero-empty", "{\"ip\":\"no.such.host\"}"), 400, "Invalid IP \"no.such.host\"");
        assertError(creds(m, "zero-empty", "{\"ip\":\"10.0.0.1\",\"username\":\"eve\"}"), 400, NOT_DEFAULT);

        // and once the list is gone, so is the exemption
        DevServer.root().delete("/v1/" + m + "/config/zeroaddress").then().statusCode(204);
        assertError(creds(m, "zero-listed", "{\"ip\":\"8.8.8.8\"}"), 400, NOT_IN_ROLE);
        assertError(creds(m, "zero-empty", "{\"ip\":\"8.8.8.8\"}"), 400, NOT_IN_ROLE);
    }
}
