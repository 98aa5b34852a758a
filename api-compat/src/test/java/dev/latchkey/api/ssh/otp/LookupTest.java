package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.Requests.otpRole;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code POST <mount>/lookup} over HTTP: the JSON of the answer and the token it needs. Which roles
 * admit an address is the engine's {@code LookupPathTest}.
 */
class LookupTest {
    private static String mount;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("lookup");
        otpRole(mount, "ten", "u", "10.0.0.0/8", "");
    }

    private static Response lookup(String body) {
        return DevServer.root().contentType("application/json").body(body).post("/v1/" + mount + "/lookup").andReturn();
    }

    @Test
    void matchingRolesAreAJsonList() {
        Response r = lookup("{\"ip\":\"10.0.0.1\"}");
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getList("data.roles"), contains("ten"));
    }

    @Test
    void nothingMatchingIsRolesNullWith200() {
        Response r = lookup("{\"ip\":\"192.0.2.1\"}");
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getMap("data"), hasKey("roles"));
        assertThat(r.jsonPath().get("data.roles"), nullValue());
        assertThat("roles is JSON null, not []", r.asString(), containsString("\"roles\":null"));
    }

    @Test
    void aLookupWithoutBodyHasNoIp() {
        assertError(DevServer.root().post("/v1/" + mount + "/lookup").andReturn(), 400, "Missing ip");
    }

    @Test
    void lookupNeedsAToken() {
        Response r = DevServer.anonymous().contentType("application/json").body("{\"ip\":\"10.0.0.1\"}")
                .post("/v1/" + mount + "/lookup").andReturn();
        assertThat(r.statusCode(), is(403));
    }
}
