package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertNoContent;
import static dev.latchkey.api.testing.HttpAssertions.assertNotFound;
import static dev.latchkey.api.testing.Requests.otpRole;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * {@code <mount>/config/zeroaddress} over HTTP: status codes and bodies, and the token it needs.
 * What a write accepts and keeps is the engine's {@code ZeroAddressPathTest}. The list is per
 * mount, so each test has its own.
 */
class ZeroAddressTest {
    private static String mountWithRoles(String... names) {
        String m = DevServer.enableSsh("zero");
        for (String n : names) {
            otpRole(m, n);
        }
        return m;
    }

    private static Response read(String m) {
        return DevServer.root().get("/v1/" + m + "/config/zeroaddress").andReturn();
    }

    @Test
    void aWriteIs204WithoutBodyAndAReadIsTheEnvelope() {
        String m = mountWithRoles("alpha", "bravo");
        assertNoContent(DevServer.root().contentType("application/json").body("{\"roles\":[\"bravo\",\"alpha\"]}")
                .post("/v1/" + m + "/config/zeroaddress").andReturn());
        Response r = read(m);
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getList("data.roles"), contains("bravo", "alpha"));
    }

    @Test
    void noListIs404WithEmptyErrorsAlsoAfterADelete() {
        String m = mountWithRoles("alpha");
        assertNotFound(read(m));
        DevServer.root().contentType("application/json").body("{\"roles\":\"alpha\"}")
                .post("/v1/" + m + "/config/zeroaddress").then().statusCode(204);
        assertNoContent(DevServer.root().delete("/v1/" + m + "/config/zeroaddress").andReturn());
        assertNotFound(read(m));
    }

    @Test
    void aWriteWithoutBodyHasNoRoles() {
        String m = mountWithRoles("alpha");
        assertError(DevServer.root().post("/v1/" + m + "/config/zeroaddress").andReturn(), 400, "Missing roles");
        assertNotFound(read(m));
    }

    @Test
    void zeroAddressNeedsAToken() {
        String m = mountWithRoles("alpha");
        Response r = DevServer.anonymous().get("/v1/" + m + "/config/zeroaddress").andReturn();
        assertThat(r.statusCode(), is(403));
    }
}
