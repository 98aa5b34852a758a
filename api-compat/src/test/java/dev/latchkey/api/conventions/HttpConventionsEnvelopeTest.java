package dev.latchkey.api.conventions;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.latchkey.testing.VaultErrors.EMPTY_ERRORS_BODY;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Vault's response envelope (its 204 and 404 forms, Cache-Control), its error bodies and its
 * (durations, observed through {@code sys/mounts/<path>/tune}).
 */
@Timeout(60)
class HttpConventionsEnvelopeTest {
    private static final List<String> ENVELOPE = List.of("request_id", "lease_id", "renewable", "lease_duration",
            "data", "wrap_info", "warnings", "auth", "mount_type");
    private static String mount;

    @BeforeAll
    static void mountWithRole() {
        mount = DevServer.enableSsh("envelope");
        Requests.role(mount, "web", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\",\"port\":2222}");
    }

    private static String v1(String rest) {
        return "/v1/" + mount + "/" + rest;
    }

    // ---- envelope -------------------------------------------------------------------------------

    @Test
    void aCredsResponseCarriesTheWholeEnvelopeInVaultsOrder() {
        Response r = Http.json("{\"ip\":\"10.0.0.5\"}").post(v1("creds/web"));
        assertThat(r.statusCode(), is(200));
        assertThat(r.header("Content-Type"), equalTo("application/json"));
        String body = r.asString();
        assertThat(body, endsWith("}\n"));
        assertThat(body, not(endsWith("\n\n")));
        assertThat(body.indexOf('\n'), is(body.length() - 1));

        Map<String, Object> env = JsonPath.from(body).getMap("");
        assertThat(new ArrayList<>(env.keySet()), equalTo(ENVELOPE));
        int last = -1;
        for (String field : ENVELOPE) {
            int at = body.indexOf("\"" + field + "\":");
            assertThat(field + " out of order in " + body, at, greaterThan(last));
            last = at;
        }
        assertThat((String) env.get("request_id"), matchesPattern(Http.UUID_PATTERN));
        assertThat((String) env.get("lease_id"), matchesPattern(java.util.regex.Pattern.quote(mount + "/creds/web/") + "[0-9A-Za-z]{24}"));
        assertThat(env.get("renewable"), equalTo(false));
        assertThat(env.get("lease_duration"), equalTo(2764800));
        assertThat(env.get("wrap_info"), nullValue());
        assertThat(env.get("warnings"), nullValue());
        assertThat(env.get("auth"), nullValue());
        assertThat(env.get("mount_type"), equalTo("ssh"));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) env.get("data");
        assertThat(data.keySet(), equalTo(java.util.Set.of("ip", "key", "key_type", "port", "username")));
        assertThat(data.get("ip"), equalTo("10.0.0.5"));
        assertThat(data.get("key_type"), equalTo("otp"));
        assertThat(data.get("port"), equalTo(2222));
        assertThat(data.get("username"), equalTo("ubuntu"));
        assertThat((String) data.get("key"), matchesPattern(Http.UUID_PATTERN));
    }

    @Test
    void everyResponseHasItsOwnRequestId() {
        String a = Http.root().get(v1("roles/web")).then().statusCode(200).extract().path("request_id");
        String b = Http.root().get(v1("roles/web")).then().statusCode(200).extract().path("request_id");
        assertThat(a, matchesPattern(Http.UUID_PATTERN));
        assertThat(b, matchesPattern(Http.UUID_PATTERN));
        assertThat(a, not(equalTo(b)));
    }

    @Test
    void aResponseWithoutALeaseHasEmptyLeaseFields() {
        Http.root().get(v1("roles/web")).then().statusCode(200)
                .body("lease_id", equalTo("")).body("renewable", equalTo(false)).body("lease_duration", equalTo(0))
                .body("wrap_info", nullValue()).body("warnings", nullValue()).body("auth", nullValue())
                .body("mount_type", equalTo("ssh"));
    }

    @Test
    void mountTypeNamesTheMountThatServedTheRequest() {
        Http.root().get("/v1/sys/mounts/" + mount + "/tune").then().statusCode(200).body("mount_type", equalTo("system"));
        Http.root().get("/v1/sys/mounts").then().statusCode(200).body("mount_type", equalTo("system"));
        Http.root().get("/v1/auth/token/lookup-self").then().statusCode(200).body("mount_type", equalTo("token"));
        Http.root().request("LIST", v1("roles")).then().statusCode(200).body("mount_type", equalTo("ssh"));
    }

    @Test
    void a204HasNoBodyButStillTheJsonContentType() {
        Response r = Http.json("{\"key_type\":\"otp\",\"default_user\":\"x\"}").post(v1("roles/no-content"));
        assertThat(r.statusCode(), is(204));
        assertThat(r.asString(), emptyString());
        assertThat(r.header("Content-Type"), equalTo("application/json"));
        assertThat(r.header("Cache-Control"), equalTo("no-store"));
        Response d = Http.root().delete(v1("roles/no-content"));
        assertThat(d.statusCode(), is(204));
        assertThat(d.asString(), emptyString());
        // deleting what is not there is still a 204
        assertThat(Http.root().delete(v1("roles/no-content")).statusCode(), is(204));
    }

    @Test
    void readingSomethingMissingIs404WithExactlyAnEmptyErrorsArray() {
        for (String path : List.of("roles/missing", "config/zeroaddress")) {
            Response r = Http.root().get(v1(path));
            assertThat(r.statusCode(), is(404));
            assertThat(r.asString(), equalTo(EMPTY_ERRORS_BODY));
            assertThat(r.header("Content-Type"), equalTo("application/json"));
            assertThat(r.header("Cache-Control"), equalTo("no-store"));
        }
    }

    @Test
    void everyKindOfResponseCarriesCacheControlNoStore() throws Exception {
        List<Response> answers = List.of(
                Http.root().get(v1("roles/web")),                                        // 200
                Http.json("{\"key_type\":\"otp\",\"default_user\":\"x\"}").post(v1("roles/cc")), // 204
                Http.json("{}").post(v1("creds/web")),                                    // 400
                Http.anonymous().get(v1("roles/web")),                                    // 403
                Http.root().get(v1("roles/none")),                                        // 404 empty
                Http.root().get(v1("nonsense")),                                          // 404 unsupported path
                Http.root().get("/v1/nowhere-" + mount + "/x"),                           // 404 no route
                Http.root().get(v1("creds/web")),                                         // 405
                Http.json("{}").patch(v1("roles/web")),                                   // 415
                Http.anonymous().get("/v1/sys/health"),                                   // 200, unauthenticated
                Http.anonymous().get("/v2/elsewhere"));                                   // 404 outside /v1/
        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        assertThat(statuses, equalTo(List.of(200, 204, 400, 403, 404, 404, 404, 405, 415, 200, 404)));
        for (Response r : answers) {
            assertThat("status " + r.statusCode(), r.header("Cache-Control"), equalTo("no-store"));
        }
        assertThat(RawHttp.request("GET", "/v1/" + mount + "//roles/web").header("Cache-Control"), equalTo("no-store"));
    }

    // ---- errors -----------------------------------------------------------------------------------

    @Test
    void aUserErrorIsOneVerbatimMessage() {
        Response r = Http.json("{}").post(v1("creds/web"));
        assertThat(r.statusCode(), is(400));
        assertThat(r.header("Content-Type"), equalTo("application/json"));
        assertThat(r.asString(), equalTo("{\"errors\":[\"Missing ip\"]}\n"));
        Http.json("{\"ip\":\"10.0.0.1\"}").post(v1("creds/nobody")).then().statusCode(400)
                .body("errors", equalTo(List.of("Role \"nobody\" not found")));
    }

    @Test
    void coreErrorsUseTheMultierrorFormat() {
        assertThat(Http.root().get(v1("nonsense")).asString(),
                equalTo("{\"errors\":[\"1 error occurred:\\n\\t* unsupported path\\n\\n\"]}\n"));
        assertThat(Http.root().get(v1("creds/web")).asString(),
                equalTo("{\"errors\":[\"1 error occurred:\\n\\t* unsupported operation\\n\\n\"]}\n"));
    }

    // ---- durations through sys/mounts/<path>/tune -------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"90s\"|90",
            "\"1h30m\"|5400",
            "\"1.5h\"|5400",
            "\"10m\"|600",
            "\"7d\"|604800",
            "\"300\"|300",
            "300|300",
            "\"3600s\"|3600",
            "\"1h0m0.9s\"|3600"})
    void durationsAreReadBackAsWholeSeconds(String json, int seconds) {
        String m = DevServer.enableSsh("tune");
        Http.json("{\"default_lease_ttl\":" + json + "}").post("/v1/sys/mounts/" + m + "/tune").then().statusCode(204);
        Http.root().get("/v1/sys/mounts/" + m + "/tune").then().statusCode(200)
                .body("data.default_lease_ttl", equalTo(seconds))
                .body("data.max_lease_ttl", equalTo(2764800));
        // the tuned default is what a new OTP lease gets
        Requests.role(m, "web", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}");
        Http.json("{\"ip\":\"10.0.0.1\"}").post("/v1/" + m + "/creds/web").then().statusCode(200)
                .body("lease_duration", equalTo(seconds));
    }

    @Test
    void emptyLeavesTheTtlUnchangedAndSystemResetsIt() {
        String m = DevServer.enableSsh("tune");
        String tune = "/v1/sys/mounts/" + m + "/tune";
        Http.json("{\"default_lease_ttl\":\"2h\"}").post(tune).then().statusCode(204);
        Http.json("{\"default_lease_ttl\":\"\"}").post(tune).then().statusCode(204);
        Http.root().get(tune).then().statusCode(200).body("data.default_lease_ttl", equalTo(7200));
        Http.json("{\"description\":\"no ttl here\"}").post(tune).then().statusCode(204);
        Http.root().get(tune).then().statusCode(200).body("data.default_lease_ttl", equalTo(7200));
        Http.json("{\"default_lease_ttl\":\"system\"}").post(tune).then().statusCode(204);
        Http.root().get(tune).then().statusCode(200).body("data.default_lease_ttl", equalTo(2764800));
    }

    @Test
    void anUnparsableDurationIs400AndChangesNothing() {
        String m = DevServer.enableSsh("tune");
        String tune = "/v1/sys/mounts/" + m + "/tune";
        Http.json("{\"default_lease_ttl\":\"1h\"}").post(tune).then().statusCode(204);
        Map<String, String> bad = Map.of(
                "\"abc\"", "time: invalid duration \"abc\"",
                "\"5x\"", "time: unknown unit \"x\" in duration \"5x\"",
                "\"1.5\"", "time: missing unit in duration \"1.5\"",
                "\"h\"", "time: invalid duration \"h\"");
        bad.forEach((json, reason) -> Http.json("{\"default_lease_ttl\":" + json + "}").post(tune).then()
                .statusCode(400).body("errors", org.hamcrest.Matchers.hasSize(1))
                .body("errors[0]", containsString(reason)));
        Http.json("{\"default_lease_ttl\":\"-5m\"}").post(tune).then().statusCode(400)
                .body("errors[0]", containsString("cannot provide negative value '-300'"));
        Http.json("{\"default_lease_ttl\":\"xd\"}").post(tune).then().statusCode(400)
                .body("errors[0]", startsWith("unable to parse default TTL of xd: "));
        Http.root().get(tune).then().statusCode(200).body("data.default_lease_ttl", equalTo(3600));
    }
}
