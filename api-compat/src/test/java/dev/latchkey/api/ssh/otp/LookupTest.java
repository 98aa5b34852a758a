package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.otpRole;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code POST <mount>/lookup}, with Latchkey's deliberate differences (exclusions, no duplicates, error
 * text: README, "Deliberate differences from Vault").
 */
class LookupTest {

    private static Response lookup(String m, String body) {
        return DevServer.root().contentType("application/json").body(body).post("/v1/" + m + "/lookup").andReturn();
    }

    private static List<Object> rolesFor(String m, String ip) {
        Response r = lookup(m, "{\"ip\":" + quote(ip) + "}");
        assertThat(r.asString(), r.statusCode(), is(200));
        return r.jsonPath().getList("data.roles");
    }

    private static void assertNoRoles(String m, String ip) {
        Response r = lookup(m, "{\"ip\":" + quote(ip) + "}");
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getMap("data"), hasKey("roles"));
        assertThat(r.jsonPath().get("data.roles"), nullValue());
        assertThat("roles is JSON null, not []", r.asString(), containsString("\"roles\":null"));
    }


    @Test
    void missingIp() {
        String m = DevServer.enableSsh("lookup");
        assertError(lookup(m, "{}"), 400, "Missing ip");
        assertError(lookup(m, "{\"ip\":\"\"}"), 400, "Missing ip");
        assertError(DevServer.root().post("/v1/" + m + "/lookup").andReturn(), 400, "Missing ip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-ip", "fe80::1%eth0", "010.0.0.1", " 10.0.0.1", "10.0.0.0/8", "host.example.com"})
    void invalidIpEchoesTheTextAsSent(String ip) {
        String m = DevServer.enableSsh("lookup");
        // Vault prints "<nil>" here; Latchkey quotes the input (README, "Deliberate differences from Vault")
        assertError(lookup(m, "{\"ip\":" + quote(ip) + "}"), 400, "Invalid IP \"" + ip + "\"");
    }

    @Test
    void nothingMatchingIsRolesNullWith200() {
        String m = DevServer.enableSsh("lookup");
        assertNoRoles(m, "10.0.0.1"); // no roles at all
        otpRole(m, "ten", "u", "10.0.0.0/8", "");
        otpRole(m, "none", "u", "", "");
        assertNoRoles(m, "192.0.2.1");
        assertNoRoles(m, "2001:db8::1");
    }

    @Test
    void matchingRolesComeInLexicographicOrder() {
        String m = DevServer.enableSsh("lookup");
        otpRole(m, "zeta", "u", "10.0.0.0/8", "");
        otpRole(m, "alpha", "u", "10.1.0.0/16", "");
        otpRole(m, "Mid", "u", "0.0.0.0/0", "");
        otpRole(m, "beta", "u", "192.168.0.0/16", "");
        otpRole(m, "gamma", "u", "", "");
        assertThat(rolesFor(m, "10.1.2.3"), equalTo(List.of("Mid", "alpha", "zeta")));
        assertThat(rolesFor(m, "10.2.0.1"), equalTo(List.of("Mid", "zeta")));
        assertThat(rolesFor(m, "192.168.9.9"), equalTo(List.of("Mid", "beta")));
    }

    @Test
    void exclusionsAreHonoured() {
        String m = DevServer.enableSsh("lookup");
        otpRole(m, "carved", "u", "10.0.0.0/8", "10.1.0.0/16");
        otpRole(m, "whole", "u", "10.0.0.0/8", "");
        assertThat(rolesFor(m, "10.1.2.3"), equalTo(List.of("whole")));
        assertThat(rolesFor(m, "10.2.2.3"), equalTo(List.of("carved", "whole")));
    }

    @Test
    void ipIsNormalisedAndCidrItemsTrimmed() {
        String m = DevServer.enableSsh("lookup");
        otpRole(m, "v4", "u", "172.16.0.0/12, 192.168.0.0/16", "");
        otpRole(m, "v6", "u", "2001:db8::/32", "2001:db8:1::/48");
        otpRole(m, "all-v6", "u", "::/0", "");
        assertThat(rolesFor(m, "192.168.1.1"), equalTo(List.of("v4")));
        assertThat(rolesFor(m, "::ffff:192.168.1.1"), equalTo(List.of("v4")));
        assertThat(rolesFor(m, "2001:DB8:0::1"), equalTo(List.of("all-v6", "v6")));
        assertThat(rolesFor(m, "2001:db8:1::1"), equalTo(List.of("all-v6")));
    }

    @Test
    void zeroAddressRolesAreAppendedWithoutDuplicates() {
        String m = DevServer.enableSsh("lookup");
        otpRole(m, "a-net", "u", "10.0.0.0/8", "");
        otpRole(m, "b-net", "u", "10.0.0.0/8", "");
        otpRole(m, "c-any", "u", "", "");
        otpRole(m, "d-any", "u", "192.0.2.0/24", "");
        OtpFixtures.zeroAddress(m, "[\"d-any\",\"c-any\",\"a-net\"]");
        // CIDR matches first (sorted), then the zero-address list as stored, minus what is already there
        assertThat(rolesFor(m, "10.0.0.1"), equalTo(List.of("a-net", "b-net", "d-any", "c-any")));
        assertThat(rolesFor(m, "192.0.2.5"), equalTo(List.of("d-any", "c-any", "a-net")));
        assertThat(rolesFor(m, "203.0.113.9"), equalTo(List.of("d-any", "c-any", "a-net")));
        assertThat(rolesFor(m, "2001:db8::1"), equalTo(List.of("d-any", "c-any", "a-net")));

        // an emptied zero-address list adds nothing
        DevServer.root().delete("/v1/" + m + "/roles/d-any").then().statusCode(204);
        DevServer.root().delete("/v1/" + m + "/roles/c-any").then().statusCode(204);
        DevServer.root().delete("/v1/" + m + "/roles/a-net").then().statusCode(204);
        assertThat(rolesFor(m, "10.0.0.1"), equalTo(List.of("b-net")));
        assertNoRoles(m, "203.0.113.9");
    }

    @Test
    void lookupNeedsAToken() {
        String m = DevServer.enableSsh("lookup");
        Response r = DevServer.anonymous().contentType("application/json").body("{\"ip\":\"10.0.0.1\"}")
                .post("/v1/" + m + "/lookup").andReturn();
        assertThat(r.statusCode(), is(403));
    }
}
