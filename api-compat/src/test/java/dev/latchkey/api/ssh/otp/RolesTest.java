package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertNoContent;
import static dev.latchkey.api.testing.HttpAssertions.assertNotFound;
import static dev.latchkey.api.testing.Requests.post;
import static dev.latchkey.api.testing.Requests.role;
import static dev.latchkey.testing.VaultErrors.UNSUPPORTED_PATH;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * {@code roles/:role} over HTTP: status codes and bodies, the three ways to list, and names that
 * arrive percent-encoded. What a role write accepts and stores is the engine's {@code RolesPathTest}.
 */
class RolesTest {
    private static String mount;

    @BeforeAll
    static void mount() {
        mount = DevServer.enableSsh("roles");
    }

    private static Response read(String m, String name) {
        return DevServer.root().get("/v1/" + m + "/roles/" + name).andReturn();
    }

    @Test
    void aWriteIs204WithoutBodyAndAReadIsTheEnvelopeWithANumericPort() {
        assertNoContent(post(mount, "roles/full", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"port\":2222}"));
        Response r = read(mount, "full");
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getString("data.default_user"), is("ubuntu"));
        assertThat("port is a JSON number, not a string", r.asString().contains("\"port\":2222"), is(true));
        assertThat(r.jsonPath().getString("lease_id"), is(""));
    }

    @Test
    void aRefusedWriteIs400WithTheReasonAsTheOnlyError() {
        assertError(post(mount, "roles/refused", "{\"key_type\":\"otp\"}"), 400, "missing default user");
        assertNotFound(read(mount, "refused"));
    }

    @Test
    void aWriteWithoutBodyHasNoFieldsAndSoNoKeyType() {
        assertError(DevServer.root().post("/v1/" + mount + "/roles/no-type").andReturn(), 400, "missing key type");
        assertNotFound(read(mount, "no-type"));
    }

    @Test
    void readingAMissingRoleIs404WithEmptyErrors() {
        assertNotFound(read(mount, "never-written"));
    }

    /** A percent-encoded name is decoded before it is matched, and what it decodes to is no role name. */
    @ParameterizedTest
    @ValueSource(strings = {"a%2Fb", "a%20b", "a%25b"})
    void percentEncodedNamesAreUnsupportedPaths(String encodedName) {
        // urlEncodingEnabled(false): the path goes on the wire exactly as written here
        Response w = DevServer.root().urlEncodingEnabled(false).contentType("application/json")
                .body("{\"key_type\":\"otp\",\"default_user\":\"u\"}")
                .post("/v1/" + mount + "/roles/" + encodedName).andReturn();
        assertError(w, 404, UNSUPPORTED_PATH);
        Response r = DevServer.root().urlEncodingEnabled(false).get("/v1/" + mount + "/roles/" + encodedName).andReturn();
        assertError(r, 404, UNSUPPORTED_PATH);
    }

    @Test
    void roleNameWithASpaceIsAnUnsupportedPath() {
        Response w = DevServer.root().contentType("application/json").body("{\"key_type\":\"otp\",\"default_user\":\"u\"}")
                .post("/v1/" + mount + "/roles/a b").andReturn();
        assertError(w, 404, UNSUPPORTED_PATH);
    }

    /** LIST, GET with {@code ?list=true} and a trailing slash are the same operation, as in Vault. */
    @Test
    void listAnswersTheSameToEachWayOfAsking() {
        String m = DevServer.enableSsh("roles-list");
        role(m, "bravo", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        role(m, "alpha", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        Response r = DevServer.root().request("LIST", "/v1/" + m + "/roles").andReturn();
        assertThat(r.statusCode(), is(200));
        assertThat(r.jsonPath().getMap("data"), equalTo(Map.of("keys", List.of("alpha", "bravo"),
                "key_info", Map.of("alpha", Map.of("key_type", "otp"), "bravo", Map.of("key_type", "otp")))));
        assertThat(r.jsonPath().getMap("data").keySet(), equalTo(Set.of("keys", "key_info")));

        Response viaGet = DevServer.root().queryParam("list", "true").get("/v1/" + m + "/roles").andReturn();
        assertThat(viaGet.statusCode(), is(200));
        assertThat(viaGet.jsonPath().getList("data.keys"), contains("alpha", "bravo"));
        Response slash = DevServer.root().request("LIST", "/v1/" + m + "/roles/").andReturn();
        assertThat(slash.jsonPath().getList("data.keys"), contains("alpha", "bravo"));
    }

    @Test
    void anEmptyListIs404WithEmptyErrors() {
        assertNotFound(DevServer.root().request("LIST", "/v1/" + DevServer.enableSsh("roles-empty") + "/roles").andReturn());
    }

    @Test
    void aDeleteIs204WithoutBody() {
        role(mount, "doomed", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        assertNoContent(DevServer.root().delete("/v1/" + mount + "/roles/doomed").andReturn());
        assertNotFound(read(mount, "doomed"));
        assertNoContent(DevServer.root().delete("/v1/" + mount + "/roles/never-there").andReturn());
    }
}
