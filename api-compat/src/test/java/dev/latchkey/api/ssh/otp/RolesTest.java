package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertNotFound;
import static dev.latchkey.api.testing.Requests.post;
import static dev.latchkey.api.testing.Requests.role;
import static dev.latchkey.testing.VaultErrors.UNSUPPORTED_PATH;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/** {@code roles/:role} for OTP roles over HTTP: write, read, list, delete, and the write errors in Vault's order. */
class RolesTest {
    private static String mount;

    @BeforeAll
    static void mount() {
        mount = DevServer.enableSsh("roles");
    }

    private static Response read(String m, String name) {
        return DevServer.root().get("/v1/" + m + "/roles/" + name).andReturn();
    }

    private static void assertNotStored(String name) {
        assertNotFound(read(mount, name));
    }

    // ---- write and read ----

    @Test
    void writeAnswers204WithoutBodyAndReadReturnsExactlyTheOtpFields() {
        Response w = post(mount, "roles/full", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\","
                + "\"cidr_list\":\"10.0.0.0/8,fd00::/8\",\"exclude_cidr_list\":\"10.1.0.0/16\","
                + "\"port\":2222,\"allowed_users\":\"alice,bob\"}");
        assertThat(w.statusCode(), is(204));
        assertThat(w.asString(), emptyString());

        Response r = read(mount, "full");
        assertThat(r.statusCode(), is(200));
        Map<String, Object> data = r.jsonPath().getMap("data");
        assertThat(data.keySet(), equalTo(Set.of("default_user", "cidr_list", "exclude_cidr_list", "key_type", "port",
                "allowed_users")));
        assertThat(data.get("default_user"), is("ubuntu"));
        assertThat(data.get("cidr_list"), is("10.0.0.0/8,fd00::/8"));
        assertThat(data.get("exclude_cidr_list"), is("10.1.0.0/16"));
        assertThat(data.get("key_type"), is("otp"));
        assertThat(data.get("port"), instanceOf(Integer.class));
        assertThat(data.get("port"), is(2222));
        assertThat(data.get("allowed_users"), is("alice,bob"));
        assertThat("port is a JSON number, not a string", r.asString().contains("\"port\":2222"), is(true));
        assertThat(r.jsonPath().getString("lease_id"), is(""));
    }

    @Test
    void cidrStringsAreStoredAndReturnedExactlyAsSent() {
        String cidrs = " 10.0.0.0/8, 192.168.0.0/16 ,,2001:DB8::/32 ";
        String excludes = "10.9.0.0/16 , 192.168.5.0/24";
        role(mount, "raw-cidrs", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"" + cidrs
                + "\",\"exclude_cidr_list\":\"" + excludes + "\"}");
        Response r = read(mount, "raw-cidrs");
        assertThat(r.jsonPath().getString("data.cidr_list"), is(cidrs));
        assertThat(r.jsonPath().getString("data.exclude_cidr_list"), is(excludes));
    }

    @Test
    void minimalRoleReadsBackWithDefaults() {
        role(mount, "minimal", "{\"key_type\":\"otp\",\"default_user\":\"root\"}");
        Map<String, Object> data = read(mount, "minimal").jsonPath().getMap("data");
        assertThat(data, equalTo(Map.of("default_user", "root", "cidr_list", "", "exclude_cidr_list", "",
                "key_type", "otp", "port", 22, "allowed_users", "")));
    }

    @Test
    void aWriteReplacesTheWholeRole() {
        role(mount, "replaced", "{\"key_type\":\"otp\",\"default_user\":\"first\",\"cidr_list\":\"10.0.0.0/8\","
                + "\"exclude_cidr_list\":\"10.1.0.0/16\",\"port\":2200,\"allowed_users\":\"*\"}");
        role(mount, "replaced", "{\"key_type\":\"otp\",\"default_user\":\"second\"}");
        Map<String, Object> data = read(mount, "replaced").jsonPath().getMap("data");
        assertThat(data, equalTo(Map.of("default_user", "second", "cidr_list", "", "exclude_cidr_list", "",
                "key_type", "otp", "port", 22, "allowed_users", "")));
    }

    @Test
    void upperCaseKeyTypeIsAcceptedAndStoredLowerCase() {
        role(mount, "upper", "{\"key_type\":\"OTP\",\"default_user\":\"u\"}");
        assertThat(read(mount, "upper").jsonPath().getString("data.key_type"), is("otp"));
        role(mount, "mixed", "{\"key_type\":\"oTp\",\"default_user\":\"u\"}");
        assertThat(read(mount, "mixed").jsonPath().getString("data.key_type"), is("otp"));
    }

    @Test
    void portZeroMeans22AndStringPortIsCoerced() {
        role(mount, "port-zero", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":0}");
        assertThat(read(mount, "port-zero").jsonPath().getInt("data.port"), is(22));
        role(mount, "port-string", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":\"2022\"}");
        assertThat(read(mount, "port-string").jsonPath().get("data.port"), is(2022));
        role(mount, "port-max", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":65535}");
        assertThat(read(mount, "port-max").jsonPath().get("data.port"), is(65535));
        role(mount, "port-min", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":1}");
        assertThat(read(mount, "port-min").jsonPath().get("data.port"), is(1));
    }

    @Test
    void readingAMissingRoleIs404WithEmptyErrors() {
        assertNotFound(read(mount, "never-written"));
    }

    // ---- write errors, in Vault's order of checks ----

    /**
     * A refused write stores nothing. The rows run in Vault's order of checks: the CIDR lists come
     * before the key type and the port, cidr_list before exclude_cidr_list, the key type before the
     * default user. An unparsable CIDR is 400 where Vault answers 500 with the same text (README,
     * "Deliberate differences from Vault": request errors are 4xx), and so is a port outside 1-65535,
     * which Vault accepts.
     */
    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role         | body                                                                  | error
            bad-cidr       | {"cidr_list":"10.0.0.0/8, bogus"}                                     | failed to validate cidr_list: invalid CIDR address: bogus
            bad-cidr       | {"key_type":"otp","default_user":"u","cidr_list":"10.0.0.1"}          | failed to validate cidr_list: invalid CIDR address: 10.0.0.1
            bad-cidr       | {"key_type":"nonsense","cidr_list":"300.0.0.0/8"}                     | failed to validate cidr_list: invalid CIDR address: 300.0.0.0/8
            bad-excl       | {"exclude_cidr_list":"10.0.0.0/33"}                                   | failed to validate exclude_cidr_list entry: invalid CIDR address: 10.0.0.0/33
            bad-excl       | {"key_type":"otp","default_user":"u","cidr_list":"10.0.0.0/8","exclude_cidr_list":"10.1.0.0/16,nope/8"} | failed to validate exclude_cidr_list entry: invalid CIDR address: nope/8
            bad-excl       | {"cidr_list":"x","exclude_cidr_list":"y"}                             | failed to validate cidr_list: invalid CIDR address: x
            cidr-then-port | {"key_type":"otp","default_user":"u","cidr_list":"bad","port":70000}  | failed to validate cidr_list: invalid CIDR address: bad
            bad-port       | {"key_type":"otp","default_user":"u","port":70000}                    | invalid port 70000: must be between 1 and 65535
            bad-port       | {"key_type":"otp","default_user":"u","port":-1}                       | invalid port -1: must be between 1 and 65535
            bad-port       | {"key_type":"otp","default_user":"u","port":65536}                    | invalid port 65536: must be between 1 and 65535
            no-type        | {"default_user":"u"}                                                  | missing key type
            no-type        | {"key_type":"","default_user":"u"}                                    | missing key type
            bad-type       | {"key_type":"password"}                                               | invalid key type
            bad-type       | {"key_type":"otp ","default_user":"u"}                                | invalid key type
            no-user        | {"key_type":"otp"}                                                    | missing default user
            no-user        | {"key_type":"otp","default_user":"","admin_user":"admin"}             | missing default user
            admin          | {"key_type":"otp","default_user":"u","admin_user":"root"}             | admin user not required for OTP type
            dyn-role       | {"key_type":"dynamic","default_user":"u","key":"k","admin_user":"root"} | invalid 'key': "k"
            ca-role        | {"key_type":"CA"}                                                     | Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'
            """)
    void aRefusedWriteSaysWhyAndStoresNothing(String name, String body, String error) {
        assertError(post(mount, "roles/" + name, body), 400, error);
        assertNotStored(name);
    }

    @Test
    void anEmptyBodyHasNoKeyType() {
        assertError(DevServer.root().post("/v1/" + mount + "/roles/no-type").andReturn(), 400, "missing key type");
        assertNotStored("no-type");
    }

    @Test
    void aFailedWriteLeavesTheExistingRoleUntouched() {
        role(mount, "kept", "{\"key_type\":\"otp\",\"default_user\":\"keep\",\"port\":2022}");
        assertError(post(mount, "roles/kept", "{\"key_type\":\"otp\"}"), 400, "missing default user");
        Map<String, Object> data = read(mount, "kept").jsonPath().getMap("data");
        assertThat(data.get("default_user"), is("keep"));
        assertThat(data.get("port"), is(2022));
    }

    // ---- role names: Vault's name pattern (letters, digits, '-', '_', '.', '@'; no '-' or '.' at the ends) ----

    @ParameterizedTest
    @ValueSource(strings = {"a", "web-prod", "v1.2", "ops@example.com", "under_score", "_x_", "A9", "m-i.x@e_d"})
    void validRoleNamesWork(String name) {
        role(mount, name, "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        assertThat(read(mount, name).jsonPath().getString("data.default_user"), is("u"));
        DevServer.root().delete("/v1/" + mount + "/roles/" + name).then().statusCode(204);
        assertThat(read(mount, name).statusCode(), is(404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-lead", "trail.", "trail-", "@at", "a%2Fb", "a%20b", "a%25b"})
    void invalidRoleNamesAreUnsupportedPaths(String encodedName) {
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

    // ---- list ----

    @Test
    void listReturnsSortedKeysWithKeyInfo() {
        String m = DevServer.enableSsh("roles-list");
        role(m, "charlie", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        role(m, "alpha", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        role(m, "bravo", "{\"key_type\":\"OTP\",\"default_user\":\"u\"}");
        Response r = DevServer.root().request("LIST", "/v1/" + m + "/roles").andReturn();
        assertThat(r.statusCode(), is(200));
        assertThat(r.jsonPath().getList("data.keys"), contains("alpha", "bravo", "charlie"));
        assertThat(r.jsonPath().getMap("data.key_info"), equalTo(Map.of(
                "alpha", Map.of("key_type", "otp"),
                "bravo", Map.of("key_type", "otp"),
                "charlie", Map.of("key_type", "otp"))));
        assertThat(r.jsonPath().getMap("data").keySet(), equalTo(Set.of("keys", "key_info")));

        // GET ?list=true and a trailing slash are the same operation, as in Vault
        Response viaGet = DevServer.root().queryParam("list", "true").get("/v1/" + m + "/roles").andReturn();
        assertThat(viaGet.statusCode(), is(200));
        assertThat(viaGet.jsonPath().getList("data.keys"), contains("alpha", "bravo", "charlie"));
        Response slash = DevServer.root().request("LIST", "/v1/" + m + "/roles/").andReturn();
        assertThat(slash.jsonPath().getList("data.keys"), contains("alpha", "bravo", "charlie"));
    }

    @Test
    void emptyListIs404WithEmptyErrors() {
        String m = DevServer.enableSsh("roles-empty");
        Response r = DevServer.root().request("LIST", "/v1/" + m + "/roles").andReturn();
        assertThat(r.statusCode(), is(404));
        assertThat(r.asString().trim(), is("{\"errors\":[]}"));

        // and again once the only role is deleted
        role(m, "only", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        assertThat(DevServer.root().request("LIST", "/v1/" + m + "/roles").statusCode(), is(200));
        DevServer.root().delete("/v1/" + m + "/roles/only").then().statusCode(204);
        Response after = DevServer.root().request("LIST", "/v1/" + m + "/roles").andReturn();
        assertThat(after.statusCode(), is(404));
        assertThat(after.asString().trim(), is("{\"errors\":[]}"));
    }

    // ---- delete ----

    @Test
    void deleteAnswers204AlsoForAMissingRole() {
        role(mount, "doomed", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        Response d = DevServer.root().delete("/v1/" + mount + "/roles/doomed").andReturn();
        assertThat(d.statusCode(), is(204));
        assertThat(d.asString(), emptyString());
        assertNotStored("doomed");
        Response again = DevServer.root().delete("/v1/" + mount + "/roles/doomed").andReturn();
        assertThat(again.statusCode(), is(204));
        assertThat(again.asString(), emptyString());
        assertThat(DevServer.root().delete("/v1/" + mount + "/roles/never-there").statusCode(), is(204));
    }

    @Test
    void deletingARoleRemovesItFromTheZeroAddressList() {
        String m = DevServer.enableSsh("roles-zero");
        role(m, "one", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        role(m, "two", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        role(m, "three", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        OtpFixtures.zeroAddress(m, "[\"three\",\"one\",\"two\"]");
        DevServer.root().delete("/v1/" + m + "/roles/one").then().statusCode(204);
        Response z = DevServer.root().get("/v1/" + m + "/config/zeroaddress").andReturn();
        assertThat(z.statusCode(), is(200));
        assertThat(z.jsonPath().getList("data.roles"), equalTo(List.of("three", "two")));
    }

    @Test
    void deletingARoleDoesNotCreateAZeroAddressList() {
        String m = DevServer.enableSsh("roles-nozero");
        role(m, "solo", "{\"key_type\":\"otp\",\"default_user\":\"u\"}");
        DevServer.root().delete("/v1/" + m + "/roles/solo").then().statusCode(204);
        Response z = DevServer.root().get("/v1/" + m + "/config/zeroaddress").andReturn();
        assertThat(z.statusCode(), is(404));
        assertThat(z.asString().trim(), is("{\"errors\":[]}"));
    }
}
