package dev.latchkey.api.conventions;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.testing.VaultErrors.EMPTY_ERRORS_BODY;
import static dev.latchkey.testing.VaultErrors.UNSUPPORTED_OPERATION;
import static dev.latchkey.testing.VaultErrors.UNSUPPORTED_PATH;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Vault's URL layout, routing and path rules, its HTTP methods as operations, and LIST,
 * observed over HTTP against real ssh mounts.
 */
@Timeout(60)
class HttpConventionsRoutingTest {
    private static String mount;

    @BeforeAll
    static void mountWithTwoRoles() {
        mount = Http.mountWithOtpRoles("routing", "r-b", "bob", "r-a", "alice");
    }

    private static String v1(String rest) {
        return "/v1/" + mount + "/" + rest;
    }

    // ---- routing ----------------------------------------------------------------------------

    @Test
    void theLongestMountedPrefixRoutesEachRequestToItsOwnMount() {
        String flat = DevServer.enableSsh("route-flat");
        String team = "team-" + UUID.randomUUID().toString().substring(0, 8);
        String nested = DevServer.enableSsh(team + "/ssh");      // team-x/ssh-N, under an unmounted parent
        String sibling = nested + "x";                           // team-x/ssh-Nx: shares the prefix text, not the segment
        Http.json("{\"type\":\"ssh\"}").post("/v1/sys/mounts/" + sibling).then().statusCode(204);

        Map<String, String> userByMount = Map.of(flat, "flat-user", nested, "nested-user", sibling, "sibling-user");
        userByMount.forEach((m, user) -> Requests.role(m, "who",
                "{\"key_type\":\"otp\",\"default_user\":\"" + user + "\",\"cidr_list\":\"10.0.0.0/8\"}"));
        Requests.role(nested, "only-nested", "{\"key_type\":\"otp\",\"default_user\":\"n\"}");

        userByMount.forEach((m, user) -> Http.root().get("/v1/" + m + "/roles/who").then()
                .statusCode(200).body("data.default_user", equalTo(user)));
        Http.root().request("LIST", "/v1/" + nested + "/roles").then()
                .statusCode(200).body("data.keys", equalTo(List.of("only-nested", "who")));
        Http.root().request("LIST", "/v1/" + sibling + "/roles").then()
                .statusCode(200).body("data.keys", equalTo(List.of("who")));
        Http.root().get("/v1/" + sibling + "/roles/only-nested").then().statusCode(404);
        Http.root().get("/v1/" + flat + "/roles/only-nested").then().statusCode(404);

        // the parent of a nested mount is not itself a mount
        Http.root().get("/v1/" + team + "/roles/who").then().statusCode(404)
                .body("errors", equalTo(List.of("no handler for route \"" + team + "/roles/who\". route entry not found.")));
        // as in Vault, a mount inside a mount, or around one, is refused
        String inside = Http.json("{\"type\":\"ssh\"}").post("/v1/sys/mounts/" + nested + "/inner").then()
                .statusCode(400).extract().path("errors[0]");
        assertThat(inside, anyOf(equalTo("existing mount at " + nested + "/"),
                equalTo("path is already in use at " + nested + "/")));
        Http.json("{\"type\":\"ssh\"}").post("/v1/sys/mounts/" + team).then().statusCode(400)
                .body("errors[0]", anyOf(startsWith("existing mount at " + team + "/"),
                        startsWith("path is already in use at " + team + "/")));
    }

    @Test
    void aPathUnderNoMountIs404NoHandlerForRoute() {
        String path = "no-such-mount-" + UUID.randomUUID() + "/roles/x";
        Http.root().get("/v1/" + path).then().statusCode(404)
                .header("Cache-Control", "no-store")
                .body("errors", equalTo(List.of("no handler for route \"" + path + "\". route entry not found.")));
        Http.json("{}").post("/v1/" + path).then().statusCode(404)
                .body("errors", equalTo(List.of("no handler for route \"" + path + "\". route entry not found.")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonsense", "roles/a/b", "roles/-starts-with-dash", "roles/ends-with-at@",
            "roles/.dot", "creds/", "config/zeroaddress/extra", "config", "keys/some@key", "public_key/extra", "sign/"})
    void aPathInsideTheMountThatNoEnginePathMatchesIs404UnsupportedPath(String rest) {
        Http.root().get(v1(rest)).then().statusCode(404).body("errors", contains(UNSUPPORTED_PATH));
    }

    @Test
    void roleNamesUseWordCharactersDashDotAndAt() {
        Requests.role(mount, "a.b-c@d_e9", "{\"key_type\":\"otp\",\"default_user\":\"x\"}");
        Http.root().get(v1("roles/a.b-c@d_e9")).then().statusCode(200).body("data.default_user", equalTo("x"));
        Requests.role(mount, "z", "{\"key_type\":\"otp\",\"default_user\":\"single\"}");
        Http.root().get(v1("roles/z")).then().statusCode(200).body("data.default_user", equalTo("single"));
        Http.root().delete(v1("roles/a.b-c@d_e9")).then().statusCode(204);
        Http.root().delete(v1("roles/z")).then().statusCode(204);
    }

    @Test
    void anUnsupportedMethodOnAKnownPathIs405UnsupportedOperation() {
        Http.root().get(v1("creds/r-a")).then().statusCode(405).body("errors", contains(UNSUPPORTED_OPERATION));
        Http.root().delete(v1("creds/r-a")).then().statusCode(405).body("errors", contains(UNSUPPORTED_OPERATION));
        Http.root().delete(v1("lookup")).then().statusCode(405).body("errors", contains(UNSUPPORTED_OPERATION));
        Http.root().get(v1("lookup")).then().statusCode(405).body("errors", contains(UNSUPPORTED_OPERATION));
        Http.root().get(v1("verify")).then().statusCode(405).body("errors", contains(UNSUPPORTED_OPERATION));
        // roles/ only lists: a plain read of it is an unsupported operation
        Http.root().get(v1("roles")).then().statusCode(405).body("errors", contains(UNSUPPORTED_OPERATION));
        Http.json("{}").post(v1("roles")).then().statusCode(405).body("errors", contains(UNSUPPORTED_OPERATION));
    }

    @Test
    void writingToAPathEndingInSlashIs400() {
        for (String method : List.of("POST", "PUT")) {
            Http.json("{\"key_type\":\"otp\",\"default_user\":\"x\"}").request(method, v1("roles/new-role/")).then()
                    .statusCode(400).body("errors", equalTo(List.of("cannot write to a path ending in '/'")));
            Http.json("{\"roles\":\"r-a\"}").request(method, v1("config/zeroaddress/")).then()
                    .statusCode(400).body("errors", equalTo(List.of("cannot write to a path ending in '/'")));
        }
        Http.root().get(v1("roles/new-role")).then().statusCode(404);
    }

    @Test
    void doubleSlashesAreRedirectedToTheCleanedPath() throws Exception {
        RawHttp.Answer a = RawHttp.request("GET", "/v1/" + mount + "//roles//r-a");
        assertThat(a.toString(), a.status(), is(301));
        assertThat(a.header("Location"), equalTo("/v1/" + mount + "/roles/r-a"));
        assertThat(a.text(), emptyString());
        assertThat(a.header("Cache-Control"), equalTo("no-store"));

        RawHttp.Answer withQuery = RawHttp.request("GET", "/v1//" + mount + "/roles?list=true");
        assertThat(withQuery.status(), is(301));
        assertThat(withQuery.header("Location"), equalTo("/v1/" + mount + "/roles?list=true"));

        // a write is redirected too, and does not happen
        RawHttp.Answer write = RawHttp.request("POST", "/v1/" + mount + "//roles/via-redirect", "application/json",
                "{\"key_type\":\"otp\",\"default_user\":\"x\"}".getBytes());
        assertThat(write.status(), is(301));
        assertThat(write.header("Location"), equalTo("/v1/" + mount + "/roles/via-redirect"));
        Http.root().get(v1("roles/via-redirect")).then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%01", "%00", "%7F", "%1B", "%0A", "%09", "%E2%80%AE", "%C2%85"})
    void nonPrintableCharactersInThePathAre400(String escape) throws Exception {
        RawHttp.Answer a = RawHttp.request("GET", "/v1/" + mount + "/roles/r" + escape + "a");
        assertThat(a.toString(), a.status(), is(400));
        assertThat(a.header("Content-Type"), equalTo("application/json"));
        assertThat(a.text(), equalTo("{\"errors\":[\"Path cannot contain non-printable characters\"]}\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%zz", "%2", "%", "%G1", "%C0%AF", "%ED%A0%80", "%FF"})
    void anInvalidPercentEscapeOrInvalidUtf8InThePathIs400(String escape) throws Exception {
        RawHttp.Answer a = RawHttp.request("GET", "/v1/" + mount + "/roles/r" + escape);
        assertThat(a.toString(), a.status(), is(400));
        List<String> errors = io.restassured.path.json.JsonPath.from(a.text()).getList("errors");
        assertThat(errors, hasSize(1));
        assertThat(errors.get(0), startsWith("invalid request path: "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/sys/health", "/sys/health", "/v1", "/api/v1/sys/health", "/V1/sys/health"})
    void pathsOutsideV1Are404WithAMessage(String target) throws Exception {
        RawHttp.Answer a = RawHttp.request("GET", target);
        assertThat(a.toString(), a.status(), is(404));
        List<String> errors = io.restassured.path.json.JsonPath.from(a.text()).getList("errors");
        assertThat(errors, hasSize(1));
        assertThat(errors.get(0), not(emptyString()));
    }

    // ---- methods ------------------------------------------------------------------------------

    @Test
    void patchWithoutTheMergePatchContentTypeIs415AndWithItIs405() {
        Http.json("{\"default_user\":\"mallory\"}").patch(v1("roles/r-a")).then().statusCode(415)
                .body("errors", equalTo(List.of(
                        "PATCH requires Content-Type of application/merge-patch+json, provided application/json")));
        Http.root().contentType("application/merge-patch+json").body("{\"default_user\":\"mallory\"}")
                .patch(v1("roles/r-a")).then().statusCode(405).body("errors", contains(UNSUPPORTED_OPERATION));
        Http.root().get(v1("roles/r-a")).then().statusCode(200).body("data.default_user", equalTo("alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "PROPFIND", "get", "delete", "list", "Get"})
    void anyOtherMethodIs405WithAMessage(String method) throws Exception {
        RawHttp.Answer a = RawHttp.request(method, v1("roles/r-b"));
        assertThat(a.toString(), a.status(), is(405));
        assertThat(a.header("Cache-Control"), equalTo("no-store"));
        List<String> errors = io.restassured.path.json.JsonPath.from(a.text()).getList("errors");
        assertThat(errors, hasSize(1));
        assertThat(errors.get(0), containsString(method));
        Http.root().get(v1("roles/r-b")).then().statusCode(200).body("data.default_user", equalTo("bob"));
    }

    // ---- LIST ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "True", "TRUE", "t", "T"})
    void getWithAListFlagThatParsesAsTrueIsTheSameAsLIST(String flag) {
        Map<String, Object> viaList = Http.root().request("LIST", v1("roles")).then().statusCode(200)
                .extract().path("data");
        assertThat(viaList.get("keys"), equalTo(List.of("r-a", "r-b")));
        assertThat(viaList.get("key_info"), equalTo(Map.of("r-a", Map.of("key_type", "otp"), "r-b", Map.of("key_type", "otp"))));
        Map<String, Object> viaGet = Http.root().queryParam("list", flag).get(v1("roles")).then().statusCode(200)
                .body("mount_type", equalTo("ssh")).extract().path("data");
        assertThat(viaGet, equalTo(viaList));
    }

    @Test
    void LISTAppendsTheSlashAndAcceptsItAlready() {
        Http.root().request("LIST", v1("roles/")).then().statusCode(200).body("data.keys", equalTo(List.of("r-a", "r-b")));
        Http.root().get(v1("roles/?list=true")).then().statusCode(200).body("data.keys", equalTo(List.of("r-a", "r-b")));
        // a role path has no list operation: "roles/r-a/" matches nothing
        Http.root().request("LIST", v1("roles/r-a")).then().statusCode(404).body("errors", contains(UNSUPPORTED_PATH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "0", "F", "False"})
    void aListFlagThatParsesAsFalseIsARead(String flag) {
        Http.root().queryParam("list", flag).get(v1("roles/r-a")).then().statusCode(200)
                .body("data.default_user", equalTo("alice"))
                .body("warnings", equalTo(null)); // the list parameter is consumed, not reported as unknown
        Http.root().queryParam("list", flag).get(v1("roles")).then().statusCode(405)
                .body("errors", contains(UNSUPPORTED_OPERATION));
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "yes", "", "2", "tRuE"})
    void anUnparsableListFlagIs400WithAMessage(String flag) {
        Http.root().queryParam("list", flag).get(v1("roles")).then().statusCode(400)
                .body("errors", equalTo(List.of("invalid value for list: it must be a boolean")));
    }

    @Test
    void anEmptyListIs404WithAnEmptyErrorsArray() {
        String empty = DevServer.enableSsh("routing-empty");
        Response viaList = Http.root().request("LIST", "/v1/" + empty + "/roles");
        assertThat(viaList.statusCode(), is(404));
        assertThat(viaList.asString(), equalTo(EMPTY_ERRORS_BODY));
        Response viaGet = Http.root().get("/v1/" + empty + "/roles?list=true");
        assertThat(viaGet.statusCode(), is(404));
        assertThat(viaGet.asString(), equalTo(EMPTY_ERRORS_BODY));
    }
}
