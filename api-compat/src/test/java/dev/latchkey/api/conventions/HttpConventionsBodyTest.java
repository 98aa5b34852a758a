package dev.latchkey.api.conventions;

import dev.latchkey.api.testing.Requests;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Request bodies as Vault reads them: formats (JSON by default, forms), empty and non-object bodies, weak type
 * conversion of declared fields, and the warnings about ignored and replaced parameters.
 */
@Timeout(60)
class HttpConventionsBodyTest {
    private static String mount;

    @BeforeAll
    static void mountWithRoles() {
        mount = Http.mountWithOtpRoles("body", "web", "ubuntu", "db", "postgres");
    }

    private static String v1(String rest) {
        return "/v1/" + mount + "/" + rest;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonPath creds(String contentType, String body) throws Exception {
        RawHttp.Answer a = RawHttp.request("POST", v1("creds/web"), contentType, utf8(body));
        assertThat(a.toString(), a.status(), is(200));
        return JsonPath.from(a.text());
    }

    // ---- body formats --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "application/xml", "application/octet-stream",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "<none>"})
    void aJsonBodyIsParsedAsJsonWhateverTheContentType(String contentType) throws Exception {
        String ct = contentType.equals("<none>") ? null : contentType;
        JsonPath r = creds(ct, "{\"ip\":\"10.1.2.3\",\"username\":\"ubuntu\"}");
        assertThat(r.getString("data.ip"), equalTo("10.1.2.3"));
        assertThat(r.getString("data.username"), equalTo("ubuntu"));
    }

    @Test
    void aFormBodyStartingWithABraceAfterWhitespaceIsStillJson() throws Exception {
        JsonPath r = creds("application/x-www-form-urlencoded", " \r\n\t{\"ip\":\"10.4.4.4\"}");
        assertThat(r.getString("data.ip"), equalTo("10.4.4.4"));
        // "[" also selects JSON, which is then not an object
        RawHttp.Answer array = RawHttp.request("POST", v1("creds/web"), "application/x-www-form-urlencoded",
                utf8("[\"ip=10.0.0.1\"]"));
        assertThat(array.status(), is(400));
        assertThat(array.text(), equalTo("{\"errors\":[\"error parsing JSON\"]}\n"));
    }

    @Test
    void formBodiesAreParsed() throws Exception {
        JsonPath r = creds("application/x-www-form-urlencoded", "ip=10.9.8.7&username=ubuntu");
        assertThat(r.getString("data.ip"), equalTo("10.9.8.7"));
        JsonPath withCharset = creds("application/x-www-form-urlencoded; charset=utf-8", "ip=10.9.8.6");
        assertThat(withCharset.getString("data.ip"), equalTo("10.9.8.6"));
    }

    @Test
    void repeatedFormKeysAreJoinedWithCommasAndEscapesDecoded() throws Exception {
        RawHttp.Answer w = RawHttp.request("POST", v1("roles/form-role"), "application/x-www-form-urlencoded",
                utf8("key_type=otp&default_user=deploy&cidr_list=10.0.0.0%2F8&cidr_list=192.168.0.0/16"
                        + "&allowed_users=a+b&allowed_users=c%2Cd&port=2200"));
        assertThat(w.toString(), w.status(), is(204));
        Http.root().get(v1("roles/form-role")).then().statusCode(200)
                .body("data.cidr_list", equalTo("10.0.0.0/8,192.168.0.0/16"))
                .body("data.allowed_users", equalTo("a b,c,d"))
                .body("data.default_user", equalTo("deploy"))
                .body("data.port", equalTo(2200));
    }

    @Test
    void anUnreadableFormIs400() throws Exception {
        RawHttp.Answer a = RawHttp.request("POST", v1("creds/web"), "application/x-www-form-urlencoded", utf8("ip=%zz"));
        assertThat(a.status(), is(400));
        assertThat(a.text(), equalTo("{\"errors\":[\"error parsing form data\"]}\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\r\n\t ", "null"})
    void anEmptyBodyHasNoFields(String body) throws Exception {
        RawHttp.Answer creds = RawHttp.request("POST", v1("creds/web"), "application/json", utf8(body));
        assertThat(creds.toString(), creds.status(), is(400));
        assertThat(creds.text(), equalTo("{\"errors\":[\"Missing ip\"]}\n"));
        RawHttp.Answer zero = RawHttp.request("POST", v1("config/zeroaddress"), null, utf8(body));
        assertThat(zero.text(), equalTo("{\"errors\":[\"Missing roles\"]}\n"));
        RawHttp.Answer role = RawHttp.request("POST", v1("roles/empty-body"), "application/x-www-form-urlencoded", utf8(body));
        assertThat(role.text(), equalTo("{\"errors\":[\"missing key type\"]}\n"));
    }

    @Test
    void anEmptyBodyWithoutContentLengthIsAllowed() throws Exception {
        RawHttp.Answer a = RawHttp.request("POST", v1("creds/web"));
        assertThat(a.toString(), a.status(), is(400));
        assertThat(a.text(), equalTo("{\"errors\":[\"Missing ip\"]}\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "[]", "\"x\"", "5", "-1.5", "true", "false", "{\"ip\":\"10.0.0.1\"}x",
            "{\"ip\":\"10.0.0.1\"} {}", "ip=10.0.0.1", "{", "}"})
    void aBodyThatIsNotOneJsonObjectIs400ErrorParsingJson(String body) {
        Response r = Http.json(body).post(v1("creds/web"));
        assertThat(r.statusCode(), is(400));
        assertThat(r.asString(), equalTo("{\"errors\":[\"error parsing JSON\"]}\n"));
    }

    // ---- weak type conversion -----------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"2222\"|2222",
            "2222|2222",
            "\"0\"|22",
            "0|22",
            "\"\"|22",
            "null|22",
            "true|1",
            "false|22",
            "65535|65535",
            "\"65535\"|65535"})
    void portAcceptsNumbersNumericStringsAndBooleans(String json, int stored) {
        Requests.role(mount, "port-role", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":" + json + "}");
        Http.root().get(v1("roles/port-role")).then().statusCode(200).body("data.port", equalTo(stored));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"abc\"|abc",
            "\"22.5\"|22.5",
            "22.5|22.5",
            "\"2e3\"|2e3",
            "\" 22\"|' 22'",
            "\"99999999999999999999\"|99999999999999999999"})
    void aPortThatIsNotAnIntegerIs400FieldValidationFailed(String json, String shown) {
        Http.json("{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":" + json + "}").post(v1("roles/bad-port")).then()
                .statusCode(400)
                .body("errors", org.hamcrest.Matchers.hasSize(1))
                .body("errors[0]", startsWith("Field validation failed: error converting input " + shown
                        + " for field \"port\": "));
        Http.root().get(v1("roles/bad-port")).then().statusCode(404);
    }

    @Test
    void aPortOutsideTheTcpRangeIs400() {
        for (String port : List.of("65536", "-1", "\"70000\"")) {
            String n = port.replace("\"", "");
            Http.json("{\"key_type\":\"otp\",\"default_user\":\"u\",\"port\":" + port + "}").post(v1("roles/bad-port")).then()
                    .statusCode(400).body("errors", equalTo(List.of("invalid port " + n + ": must be between 1 and 65535")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "\"true\"", "1", "\"1\"", "\"t\"", "\"TRUE\"", "false", "\"false\"", "0", "\"0\"", "\"\""})
    void boolFieldsAcceptBooleansNumbersAndStrings(String json) {
        Requests.role(mount, "bool-role", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"allow_bare_domains\":" + json
                + ",\"allow_user_certificates\":" + json + "}");
    }

    @Test
    void boolFieldsChangeBehaviourWhenGivenAsStringsOrNumbers() {
        // sys/leases/revoke: sync (bool, default true) selects 204 (sync) or 202 (async)
        for (String sync : List.of("false", "\"false\"", "0", "\"0\"", "\"f\"")) {
            Http.json("{\"lease_id\":\"" + mount + "/creds/web/none\",\"sync\":" + sync + "}")
                    .put("/v1/sys/leases/revoke").then().statusCode(202).body(emptyString());
        }
        for (String sync : List.of("true", "\"true\"", "1", "\"1\"", "\"T\"")) {
            Http.json("{\"lease_id\":\"" + mount + "/creds/web/none\",\"sync\":" + sync + "}")
                    .put("/v1/sys/leases/revoke").then().statusCode(204);
        }
        // sys/mounts: local / seal_wrap given as text and numbers are read back as booleans
        String p = mount + "-bools";
        Http.json("{\"type\":\"ssh\",\"local\":\"true\",\"seal_wrap\":1,\"external_entropy_access\":\"0\"}")
                .post("/v1/sys/mounts/" + p).then().statusCode(204);
        Http.root().get("/v1/sys/mounts/" + p).then().statusCode(200)
                .body("data.local", equalTo(true)).body("data.seal_wrap", equalTo(true))
                .body("data.external_entropy_access", equalTo(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"maybe\"", "\"yes\"", "\"2\"", "{}", "[]", "[true]"})
    void aBoolFieldThatIsNotABooleanIs400(String json) {
        Http.json("{\"key_type\":\"otp\",\"default_user\":\"u\",\"allow_bare_domains\":" + json + "}")
                .post(v1("roles/bad-bool")).then().statusCode(400)
                .body("errors[0]", startsWith("Field validation failed: error converting input "))
                .body("errors[0]", org.hamcrest.Matchers.containsString(" for field \"allow_bare_domains\": "));
        Http.json("{\"lease_id\":\"x\",\"sync\":" + json + "}").put("/v1/sys/leases/revoke").then().statusCode(400)
                .body("errors[0]", org.hamcrest.Matchers.containsString(" for field \"sync\": "));
    }

    @Test
    void stringFieldsRenderNumbersAndBooleansAsText() {
        // Vault decodes weakly with mapstructure: numbers keep their JSON text, booleans become "1"/"0"
        Requests.role(mount, "text-role", "{\"key_type\":\"otp\",\"default_user\":12345,\"allowed_users\":true,"
                + "\"cidr_list\":\"\",\"exclude_cidr_list\":\"\"}");
        Http.root().get(v1("roles/text-role")).then().statusCode(200)
                .body("data.default_user", equalTo("12345")).body("data.allowed_users", equalTo("1"));
    }

    @Test
    void numbersOtherThanOneAndZeroAreNotBooleans() {
        Http.json("{\"key_type\":\"ca\",\"allow_user_certificates\":1}").post(v1("roles/bool-one")).then().statusCode(204);
        Http.json("{\"key_type\":\"ca\",\"allow_user_certificates\":5}").post(v1("roles/bool-five")).then()
                .statusCode(400).body("errors[0]", equalTo("Field validation failed: error converting input 5 for field "
                        + "\"allow_user_certificates\": cannot parse '5' as bool: strconv.ParseBool: parsing \"5\": "
                        + "invalid syntax"));
    }

    @Test
    void zeroAddressRolesTakeAnArrayOrACommaSeparatedString() {
        Http.json("{\"roles\":[\"web\",\"db\"]}").post(v1("config/zeroaddress")).then().statusCode(204);
        Http.root().get(v1("config/zeroaddress")).then().statusCode(200).body("data.roles", equalTo(List.of("web", "db")));
        Http.json("{\"roles\":\" db , web \"}").post(v1("config/zeroaddress")).then().statusCode(204);
        Http.root().get(v1("config/zeroaddress")).then().statusCode(200).body("data.roles", equalTo(List.of("db", "web")));
        Http.json("{\"roles\":\"web\"}").post(v1("config/zeroaddress")).then().statusCode(204);
        Http.root().get(v1("config/zeroaddress")).then().statusCode(200).body("data.roles", equalTo(List.of("web")));
        Http.json("{\"roles\":[\" db \"]}").post(v1("config/zeroaddress")).then().statusCode(204);
        Http.root().get(v1("config/zeroaddress")).then().statusCode(200).body("data.roles", equalTo(List.of("db")));
        for (String empty : List.of("\"\"", "[]", "\" , \"", "null")) {
            Http.json("{\"roles\":" + empty + "}").post(v1("config/zeroaddress")).then().statusCode(400)
                    .body("errors", equalTo(List.of("Missing roles")));
        }
        Http.root().get(v1("config/zeroaddress")).then().statusCode(200).body("data.roles", equalTo(List.of("db")));
        Http.root().delete(v1("config/zeroaddress")).then().statusCode(204);
    }

    @Test
    void durationFieldsRefuseNegativeValues() {
        Http.json("{\"key_type\":\"otp\",\"default_user\":\"u\",\"ttl\":\"-1h\"}").post(v1("roles/neg-ttl")).then()
                .statusCode(400).body("errors", equalTo(List.of(
                        "Field validation failed: error converting input -1h for field \"ttl\": cannot provide negative value '-3600'")));
        Http.json("{\"key_type\":\"otp\",\"default_user\":\"u\",\"max_ttl\":-5}").post(v1("roles/neg-ttl")).then()
                .statusCode(400).body("errors", equalTo(List.of(
                        "Field validation failed: error converting input -5 for field \"max_ttl\": cannot provide negative value '-5'")));
        Requests.role(mount, "neg-ttl", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"ttl\":\"1h\",\"max_ttl\":7200}");
    }

    // ---- warnings ----------------------------------------------------------------------------------

    @Test
    void unknownParametersAreReportedInAWarningWhenTheResponseHasABody() {
        Http.json("{\"ip\":\"10.0.0.5\",\"foo\":\"bar\"}").post(v1("creds/web")).then().statusCode(200)
                .body("warnings", equalTo(List.of("Endpoint ignored these unrecognized parameters: [foo]")))
                .body("data.ip", equalTo("10.0.0.5"));
        Http.json("{\"zeta\":1,\"ip\":\"10.0.0.5\",\"alpha\":{},\"mid\":null}").post(v1("creds/web")).then().statusCode(200)
                .body("warnings", equalTo(List.of("Endpoint ignored these unrecognized parameters: [alpha mid zeta]")));
        Http.root().queryParam("foo", "1").get(v1("roles/web")).then().statusCode(200)
                .body("warnings", equalTo(List.of("Endpoint ignored these unrecognized parameters: [foo]")));
    }

    @Test
    void unknownParametersAreDroppedSilentlyOn204() {
        Response r = Http.json("{\"key_type\":\"otp\",\"default_user\":\"u\",\"foo\":\"bar\"}").post(v1("roles/warn-role"));
        assertThat(r.statusCode(), is(204));
        assertThat(r.asString(), emptyString());
        Http.root().get(v1("roles/warn-role")).then().statusCode(200).body("warnings", equalTo(null));
    }

    @Test
    void pathCapturesOverrideBodyFieldsWithAWarning() {
        Http.json("{\"ip\":\"10.0.0.6\",\"role\":\"db\"}").post(v1("creds/web")).then().statusCode(200)
                .body("warnings", equalTo(List.of("Endpoint replaced the value of these parameters with the values "
                        + "captured from the endpoint's path: [role]")))
                .body("data.username", equalTo("ubuntu"))
                .body("lease_id", startsWith(mount + "/creds/web/"));
    }

    @Test
    void queryParametersAreIgnoredOnWrites() {
        Http.root().contentType("application/json").body("{\"ip\":\"10.0.0.7\"}").queryParam("ip", "10.0.0.8")
                .post(v1("creds/web")).then().statusCode(200).body("data.ip", equalTo("10.0.0.7"))
                .body("warnings", equalTo(null));
    }
}
