package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static dev.latchkey.api.ssh.otp.OtpFixtures.OTP_LAYOUT;
import static dev.latchkey.api.ssh.otp.OtpFixtures.creds;
import static dev.latchkey.api.ssh.otp.OtpFixtures.mint;
import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * {@code POST <mount>/creds/:role} for OTP roles over HTTP: the leased envelope, the lease as
 * {@code sys/leases} knows it, and the token it needs. Which users and addresses a role admits is
 * the engine's {@code CredsPathTest}.
 */
class CredsTest {
    private static String mount;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("creds");
        role(mount, "full", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\",\"port\":2222}");
    }

    @Test
    void successCarriesExactlyTheOtpDataAndALease() {
        Response r = creds(mount, "full", "{\"ip\":\"10.0.0.5\"}");
        assertThat(r.asString(), r.statusCode(), is(200));
        JsonPath j = r.jsonPath();
        Map<String, Object> data = j.getMap("data");
        assertThat(data.keySet(), equalTo(Set.of("ip", "key", "key_type", "port", "username")));
        assertThat(data.get("port"), instanceOf(Integer.class));
        assertThat((String) data.get("key"), matchesPattern(OTP_LAYOUT));
        // lease: <mount>/creds/<role>/<24 base62>, not renewable, mount default TTL (768 h)
        assertThat(j.getString("lease_id"), matchesPattern("^" + mount + "/creds/full/[0-9A-Za-z]{24}$"));
        assertThat(j.getBoolean("renewable"), is(false));
        assertThat(j.get("lease_duration"), is(2764800));
        assertThat(j.getString("mount_type"), is("ssh"));
    }

    @Test
    void leaseIsKnownToSysLeases() {
        String leaseId = mint(mount, "full", "10.0.0.1").getString("lease_id");
        Response l = DevServer.root().contentType("application/json").body("{\"lease_id\":" + quote(leaseId) + "}")
                .put("/v1/sys/leases/lookup").andReturn();
        assertThat(l.asString(), l.statusCode(), is(200));
        assertThat(l.jsonPath().getString("data.id"), is(leaseId));
        assertThat(l.jsonPath().getBoolean("data.renewable"), is(false));
    }

    @Test
    void aRefusalIs400WithTheReasonAsTheOnlyError() {
        assertError(creds(mount, "full", "{\"ip\":\"192.0.2.1\"}"), 400, "Error validating IP: IP does not belong to role");
    }

    @Test
    void postAndPutAreTheSame() {
        Response put = DevServer.root().contentType("application/json").body("{\"ip\":\"10.9.9.9\"}")
                .put("/v1/" + mount + "/creds/full").andReturn();
        assertThat(put.asString(), put.statusCode(), is(200));
        assertThat(put.jsonPath().getString("data.ip"), is("10.9.9.9"));
        assertThat(put.jsonPath().getString("data.username"), is("ubuntu"));
    }

    @Test
    void credsNeedAToken() {
        Response r = DevServer.anonymous().contentType("application/json").body("{\"ip\":\"10.0.0.1\"}")
                .post("/v1/" + mount + "/creds/full").andReturn();
        assertThat(r.statusCode(), is(403));
    }
}
