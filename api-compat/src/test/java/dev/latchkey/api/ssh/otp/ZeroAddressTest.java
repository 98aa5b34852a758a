package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/** {@code <mount>/config/zeroaddress}. Every test uses a fresh mount, since the list is per mount. */
class ZeroAddressTest {

    private static String mountWithRoles(String... names) {
        String m = DevServer.enableSsh("zero");
        for (String n : names) {
            role(m, n, "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}");
        }
        return m;
    }

    private static Response write(String m, String body) {
        return DevServer.root().contentType("application/json").body(body)
                .post("/v1/" + m + "/config/zeroaddress").andReturn();
    }

    private static Response read(String m) {
        return DevServer.root().get("/v1/" + m + "/config/zeroaddress").andReturn();
    }

    private static void assertAbsent(String m) {
        Response r = read(m);
        assertThat(r.statusCode(), is(404));
        assertThat(r.asString().trim(), is("{\"errors\":[]}"));
    }

    private static void assertRoles(String m, String... expected) {
        Response r = read(m);
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getList("data.roles"), equalTo(List.of(expected)));
    }


    @Test
    void readBeforeAnyWriteIs404() {
        assertAbsent(mountWithRoles());
    }

    @Test
    void writeAsJsonArrayPreservesOrder() {
        String m = mountWithRoles("alpha", "bravo", "charlie");
        Response w = write(m, "{\"roles\":[\"charlie\",\"alpha\",\"bravo\"]}");
        assertThat(w.statusCode(), is(204));
        assertThat(w.asString(), emptyString());
        assertRoles(m, "charlie", "alpha", "bravo");
    }

    @Test
    void writeAsCommaStringTrimsItems() {
        String m = mountWithRoles("alpha", "bravo");
        assertThat(write(m, "{\"roles\":\" bravo ,alpha\"}").statusCode(), is(204));
        assertRoles(m, "bravo", "alpha");
        assertThat(write(m, "{\"roles\":\"alpha\"}").statusCode(), is(204));
        assertRoles(m, "alpha");
    }

    @Test
    void writeReplacesTheWholeList() {
        String m = mountWithRoles("alpha", "bravo", "charlie");
        write(m, "{\"roles\":[\"alpha\",\"bravo\"]}").then().statusCode(204);
        write(m, "{\"roles\":[\"charlie\"]}").then().statusCode(204);
        assertRoles(m, "charlie");
    }

    @Test
    void emptyRolesIsMissingRoles() {
        String m = mountWithRoles("alpha");
        assertError(write(m, "{\"roles\":[]}"), 400, "Missing roles");
        assertError(write(m, "{\"roles\":\"\"}"), 400, "Missing roles");
        assertError(write(m, "{}"), 400, "Missing roles");
        assertError(DevServer.root().post("/v1/" + m + "/config/zeroaddress").andReturn(), 400, "Missing roles");
        assertAbsent(m);
    }

    @Test
    void unknownRoleIsRejectedAndTheStoredListIsKept() {
        String m = mountWithRoles("alpha");
        assertError(write(m, "{\"roles\":[\"ghost\"]}"), 400, "Role \"ghost\" does not exist");
        assertAbsent(m);
        write(m, "{\"roles\":[\"alpha\"]}").then().statusCode(204);
        assertError(write(m, "{\"roles\":\"alpha, ghost2\"}"), 400, "Role \"ghost2\" does not exist");
        assertRoles(m, "alpha");
    }

    @Test
    void roleNamesAreCaseSensitive() {
        String m = mountWithRoles("alpha");
        assertError(write(m, "{\"roles\":[\"Alpha\"]}"), 400, "Role \"Alpha\" does not exist");
    }

    @Test
    void deleteRemovesTheListAnd404Follows() {
        String m = mountWithRoles("alpha");
        write(m, "{\"roles\":[\"alpha\"]}").then().statusCode(204);
        Response d = DevServer.root().delete("/v1/" + m + "/config/zeroaddress").andReturn();
        assertThat(d.statusCode(), is(204));
        assertThat(d.asString(), emptyString());
        assertAbsent(m);
        // deleting again is harmless
        assertThat(DevServer.root().delete("/v1/" + m + "/config/zeroaddress").statusCode(), is(204));
        assertAbsent(m);
    }

    @Test
    void deletingAListedRoleRewritesTheList() {
        String m = mountWithRoles("alpha", "bravo");
        write(m, "{\"roles\":[\"bravo\",\"alpha\"]}").then().statusCode(204);
        DevServer.root().delete("/v1/" + m + "/roles/bravo").then().statusCode(204);
        assertRoles(m, "alpha");
        DevServer.root().delete("/v1/" + m + "/roles/alpha").then().statusCode(204);
        Response r = read(m);
        assertThat(r.statusCode(), is(200));
        assertThat(r.jsonPath().getList("data.roles"), equalTo(List.of()));
    }

    @Test
    void deletingAnUnlistedRoleKeepsTheList() {
        String m = mountWithRoles("alpha", "bravo");
        write(m, "{\"roles\":[\"alpha\"]}").then().statusCode(204);
        DevServer.root().delete("/v1/" + m + "/roles/bravo").then().statusCode(204);
        assertRoles(m, "alpha");
    }

    @Test
    void zeroAddressNeedsAToken() {
        String m = mountWithRoles("alpha");
        Response r = DevServer.anonymous().get("/v1/" + m + "/config/zeroaddress").andReturn();
        assertThat(r.statusCode(), is(403));
    }
}
