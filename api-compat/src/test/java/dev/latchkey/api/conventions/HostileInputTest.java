package dev.latchkey.api.conventions;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Hostile input (every bad input gets a 4xx that says what to fix): malformed and oversized bodies,
 * wrong types for every field type, odd methods and paths, control and odd Unicode characters,
 * header tricks and path traversal. Every refusal must be a 4xx with a JSON {@code errors} array
 * (never a 5xx, never a hang), and the stored role, role list and zero-address list must be
 * exactly as before.
 */
@Timeout(120)
class HostileInputTest {
    private static final String KNOWN_ROLE = "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\","
            + "\"exclude_cidr_list\":\"10.9.0.0/16\",\"port\":2222,\"allowed_users\":\"ubuntu,deploy\"}";
    private static final long MIB = 1024 * 1024;

    private static String mount;
    private static Map<String, Object> knownBefore;
    private static Map<String, Object> otherBefore;
    private static Map<String, Object> listBefore;
    private static Map<String, Object> zeroBefore;

    @BeforeAll
    static void mountWithKnownState() {
        mount = DevServer.enableSsh("hostile");
        Requests.role(mount, "known", KNOWN_ROLE);
        Requests.role(mount, "other", "{\"key_type\":\"otp\",\"default_user\":\"admin\",\"cidr_list\":\"192.168.0.0/16\"}");
        Http.json("{\"roles\":[\"known\"]}").post(v1("config/zeroaddress")).then().statusCode(204);
        knownBefore = data(Http.root().get(v1("roles/known")));
        otherBefore = data(Http.root().get(v1("roles/other")));
        listBefore = data(Http.root().request("LIST", v1("roles")));
        zeroBefore = data(Http.root().get(v1("config/zeroaddress")));
        assertThat(knownBefore.get("port"), equalTo(2222));
        assertThat(listBefore.get("keys"), equalTo(List.of("known", "other")));
        assertThat(zeroBefore.get("roles"), equalTo(List.of("known")));
    }

    @AfterEach
    void storedDataIsUnchanged() {
        Map<String, Object> known = data(Http.root().get(v1("roles/known")));
        Map<String, Object> other = data(Http.root().get(v1("roles/other")));
        Map<String, Object> list = data(Http.root().request("LIST", v1("roles")));
        Map<String, Object> zero = data(Http.root().get(v1("config/zeroaddress")));
        try {
            assertThat(known, equalTo(knownBefore));
            assertThat(other, equalTo(otherBefore));
            assertThat(list, equalTo(listBefore));
            assertThat(zero, equalTo(zeroBefore));
            Http.root().get("/v1/sys/mounts/" + mount).then().statusCode(200).body("data.type", equalTo("ssh"));
        } catch (AssertionError changed) {
            restore(); // so that one failing case does not fail every case after it
            throw changed;
        }
    }

    private static void restore() {
        List<String> names = Http.root().request("LIST", v1("roles")).then().extract().jsonPath()
                .getList("data.keys", String.class);
        if (names != null) {
            names.forEach(name -> Http.root().delete(v1("roles/" + name)));
        }
        Requests.role(mount, "known", KNOWN_ROLE);
        Requests.role(mount, "other", "{\"key_type\":\"otp\",\"default_user\":\"admin\",\"cidr_list\":\"192.168.0.0/16\"}");
        Http.json("{\"roles\":[\"known\"]}").post(v1("config/zeroaddress")).then().statusCode(204);
    }

    /** The data of a 200 answer, or null for anything else (which then differs from the snapshot). */
    private static Map<String, Object> data(Response r) {
        return r.statusCode() == 200 ? r.jsonPath().getMap("data") : null;
    }

    private static String v1(String rest) {
        return "/v1/" + mount + "/" + rest;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A role write to the known role: if the server took it, the stored role would change. */
    private static Arguments roleWrite(String name, byte[] body) {
        return Arguments.of(Named.of(name, (Send) () -> RawHttp.request("POST", v1("roles/known"), "application/json", body)));
    }

    /** A role write whose only problem is {@code field}: without it, it would overwrite the known role. */
    private static Arguments badField(String field, String json) {
        String body = "{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"cidr_list\":\"0.0.0.0/0\",\"" + field + "\":" + json + "}";
        return roleWrite(field + "=" + json, utf8(body));
    }

    private static Arguments post(String name, String rest, String json) {
        return Arguments.of(Named.of(name, (Send) () -> RawHttp.request("POST", v1(rest), "application/json", utf8(json))));
    }

    private static Arguments raw(String name, String method, String target) {
        return Arguments.of(Named.of(name, (Send) () -> RawHttp.request(method, target)));
    }

    @FunctionalInterface
    interface Send {
        RawHttp.Answer send() throws IOException;
    }

    // ---- the table ---------------------------------------------------------------------------------

    static Stream<Arguments> malformedJson() {
        String deepArrays = "[".repeat(100_000) + "]".repeat(100_000);
        String deepObjects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        return Stream.of(
                roleWrite("truncated", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\"")),
                roleWrite("truncated inside a string", utf8("{\"key_type\":\"otp\",\"default_user\":\"mall")),
                roleWrite("trailing comma", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",}")),
                roleWrite("trailing garbage", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\"}garbage")),
                roleWrite("two objects", utf8("{\"key_type\":\"otp\"}{\"default_user\":\"mallory\"}")),
                roleWrite("invalid UTF-8 byte 0xFF", concat(utf8("{\"key_type\":\"otp\",\"default_user\":\"m"),
                        new byte[] {(byte) 0xFF}, utf8("\"}"))),
                roleWrite("overlong UTF-8 for '/'", concat(utf8("{\"key_type\":\"otp\",\"default_user\":\"m"),
                        new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"}"))),
                roleWrite("truncated UTF-8 sequence", concat(utf8("{\"key_type\":\"otp\",\"default_user\":\"m"),
                        new byte[] {(byte) 0xE2, (byte) 0x80}, utf8("\"}"))),
                roleWrite("UTF-16 body", "{\"key_type\":\"otp\",\"default_user\":\"mallory\"}".getBytes(StandardCharsets.UTF_16LE)),
                roleWrite("NaN", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"port\":NaN}")),
                roleWrite("Infinity", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"port\":Infinity}")),
                roleWrite("-Infinity", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"port\":-Infinity}")),
                roleWrite("single quotes", utf8("{'key_type':'otp','default_user':'mallory'}")),
                roleWrite("unquoted keys", utf8("{key_type:\"otp\",default_user:\"mallory\"}")),
                roleWrite("comment", utf8("{\"key_type\":\"otp\",/* hi */\"default_user\":\"mallory\"}")),
                roleWrite("leading zero number", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"port\":0022}")),
                roleWrite("hex number", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"port\":0x16}")),
                roleWrite("raw control character in a string", utf8("{\"key_type\":\"otp\",\"default_user\":\"mal\u0001lory\"}")),
                roleWrite("bad escape", utf8("{\"key_type\":\"otp\",\"default_user\":\"mal\\qlory\"}")),
                roleWrite("short unicode escape", utf8("{\"key_type\":\"otp\",\"default_user\":\"mal\\u12\"}")),
                roleWrite("deeply nested arrays (100k)", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"x\":" + deepArrays + "}")),
                roleWrite("deeply nested arrays as the body", utf8(deepArrays)),
                roleWrite("deeply nested objects (100k)", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"x\":" + deepObjects + "}")),
                roleWrite("a 2000-digit number", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"port\":1" + "0".repeat(2000) + "}")),
                roleWrite("an array body", utf8("[{\"key_type\":\"otp\",\"default_user\":\"mallory\"}]")),
                roleWrite("a string body", utf8("\"key_type=otp\"")));
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                // string fields
                badField("key_type", "{\"otp\":true}"), badField("key_type", "[\"otp\"]"),
                badField("default_user", "{}"), badField("default_user", "[\"ubuntu\"]"),
                badField("cidr_list", "[\"10.0.0.0/8\"]"), badField("allowed_users", "{\"a\":1}"),
                badField("cidr_list", "\"10.0.0.0/33\""), badField("cidr_list", "\"not-a-cidr\""),
                badField("exclude_cidr_list", "\"10.0.0.0/8,,x\""),
                // int fields
                badField("port", "{}"), badField("port", "[]"), badField("port", "[22]"),
                badField("port", "1e400"), badField("port", "-1e400"), badField("port", "99999999999999999999"),
                badField("port", "-99999999999999999999"), badField("port", "\"99999999999999999999\""),
                badField("port", "22.5"), badField("port", "1e2"), badField("port", "\"22abc\""),
                badField("port", "65536"), badField("port", "-1"), badField("port", "-9223372036854775808"),
                badField("key_bits", "{}"),
                // bool fields
                badField("allow_bare_domains", "{}"), badField("allow_bare_domains", "[]"),
                badField("allow_user_certificates", "\"maybe\""), badField("default_user_template", "\"yes\""),
                // durations
                badField("ttl", "-1"), badField("ttl", "\"-1h\""), badField("ttl", "\"-1d\""), badField("max_ttl", "{}"),
                badField("ttl", "\"9999999999999999999s\""), badField("ttl", "1e400"), badField("not_before_duration", "\"forever\""),
                badField("ttl", "\"99999999999999d\""),
                // maps
                badField("default_extensions", "\"permit-pty\""), badField("default_extensions", "[\"permit-pty\"]"),
                badField("allowed_critical_options", "{}"), badField("allowed_user_key_lengths", "\"rsa=2048\""),
                badField("default_critical_options", "true"),
                // a good write of an unsupported type must not replace the role either
                roleWrite("ca with an unknown signer", utf8("{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"algorithm_signer\":\"rsa-sha2-1024\"}")),
                roleWrite("key_type dynamic", utf8("{\"key_type\":\"dynamic\",\"default_user\":\"m\",\"key\":\"k\",\"admin_user\":\"root\"}")),
                roleWrite("unknown key type", utf8("{\"key_type\":\"\\u202Eotp\",\"default_user\":\"mallory\"}")),
                roleWrite("admin_user on otp", utf8("{\"key_type\":\"otp\",\"default_user\":\"m\",\"admin_user\":\"root\"}")),
                // comma string slice (zero-address roles)
                post("zeroaddress roles {}", "config/zeroaddress", "{\"roles\":{}}"),
                post("zeroaddress roles [{}]", "config/zeroaddress", "{\"roles\":[{}]}"),
                post("zeroaddress roles [[known]]", "config/zeroaddress", "{\"roles\":[[\"known\"]]}"),
                post("zeroaddress roles [null]", "config/zeroaddress", "{\"roles\":[null]}"),
                post("zeroaddress with one missing role", "config/zeroaddress", "{\"roles\":\"other,ghost\"}"),
                post("zeroaddress role with NUL", "config/zeroaddress", "{\"roles\":[\"other\\u0000\"]}"),
                post("zeroaddress role with RTL override", "config/zeroaddress", "{\"roles\":[\"\\u202Eother\"]}"),
                post("zeroaddress role lone surrogate", "config/zeroaddress", "{\"roles\":[\"\\ud800\"]}"),
                post("zeroaddress role emoji", "config/zeroaddress", "{\"roles\":\"\uD83D\uDD11\"}"),
                // creds / lookup inputs
                post("creds ip {}", "creds/known", "{\"ip\":{}}"),
                post("creds ip [..]", "creds/known", "{\"ip\":[\"10.0.0.1\"]}"),
                post("creds ip with NUL", "creds/known", "{\"ip\":\"10.0.0.1\\u0000\"}"),
                post("creds ip with zone", "creds/known", "{\"ip\":\"fe80::1%eth0\"}"),
                post("creds ip 1 MB", "creds/known", "{\"ip\":\"" + "1".repeat(1 << 20) + "\"}"),
                post("creds username RTL override", "creds/known", "{\"ip\":\"10.0.0.1\",\"username\":\"\\u202Eubuntu\"}"),
                post("creds username with NUL", "creds/known", "{\"ip\":\"10.0.0.1\",\"username\":\"ubuntu\\u0000\"}"),
                post("creds username 1 MB", "creds/known", "{\"ip\":\"10.0.0.1\",\"username\":\"" + "u".repeat(1 << 20) + "\"}"),
                post("creds username object", "creds/known", "{\"ip\":\"10.0.0.1\",\"username\":{\"$ne\":\"\"}}"),
                post("creds odd keys but no ip", "creds/known", "{\"\\u0000\":1,\"\\u202E\":2,\"\uD83D\uDE00\":3,\"\\udc00\":4}"),
                post("lookup ip []", "lookup", "{\"ip\":[]}"),
                post("lookup ip emoji", "lookup", "{\"ip\":\"\uD83D\uDE00\"}"),
                post("verify otp object", "verify", "{\"otp\":{}}"));
    }

    static Stream<Arguments> methodsPathsAndNames() {
        String known = v1("roles/known");
        return Stream.of(
                raw("FOO", "FOO", known), raw("TRACE", "TRACE", known), raw("OPTIONS", "OPTIONS", known),
                raw("CONNECT", "CONNECT", known), raw("PROPFIND", "PROPFIND", known),
                raw("lowercase delete", "delete", known), raw("lowercase post", "post", known),
                raw("DELETE on a list path", "DELETE", v1("roles")),
                raw("DELETE on creds", "DELETE", v1("creds/known")),
                raw("DELETE with a trailing slash", "DELETE", v1("roles/known/")),
                raw("unknown path", "DELETE", v1("roles/known/extra")),
                raw("encoded slash", "DELETE", v1("roles/known%2Fextra")),
                raw("encoded dot-dot", "DELETE", v1("roles/%2e%2e/roles/known")),
                raw("encoded traversal to sys/mounts", "GET", v1("roles/..%2F..%2Fsys%2Fmounts")),
                raw("backslash traversal", "GET", v1("roles/..\\..\\sys\\mounts")),
                raw("role name with NUL", "DELETE", v1("roles/known%00")),
                raw("role name with RTL override", "DELETE", v1("roles/%E2%80%AEknown")),
                raw("role name with emoji", "DELETE", v1("roles/kn%F0%9F%98%80own")),
                raw("role name with a raw UTF-8 emoji", "DELETE", v1("roles/kn\u00F0\u009F\u0098\u0080own")),
                raw("role name lone surrogate", "DELETE", v1("roles/known%ED%A0%80")),
                raw("role name with space", "DELETE", v1("roles/known%20")),
                raw("role name with tab", "DELETE", v1("roles/known%09")),
                raw("role name with newline", "DELETE", v1("roles/known%0D%0AX-Evil:%201")),
                raw("role name with a quote", "DELETE", v1("roles/kn\"own")),
                raw("role name starting with a dot", "DELETE", v1("roles/.known")),
                raw("bad percent escape", "DELETE", v1("roles/known%zz")),
                raw("path outside /v1/", "DELETE", "/v2/" + mount + "/roles/known"),
                Arguments.of(Named.of("write to a trailing slash", (Send) () -> RawHttp.request("POST", v1("roles/known/"),
                        "application/json", utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\"}")))),
                Arguments.of(Named.of("PATCH with JSON", (Send) () -> RawHttp.request("PATCH", v1("roles/known"),
                        "application/json", utf8("{\"default_user\":\"mallory\"}")))),
                Arguments.of(Named.of("PATCH with merge-patch", (Send) () -> RawHttp.request("PATCH", v1("roles/known"),
                        "application/merge-patch+json", utf8("{\"default_user\":\"mallory\"}")))),
                Arguments.of(Named.of("list flag on a role", (Send) () -> RawHttp.request("GET", known + "?list=true"))),
                Arguments.of(Named.of("bad list flag", (Send) () -> RawHttp.request("GET", v1("roles") + "?list=%00"))),
                Arguments.of(Named.of("bad query escape", (Send) () -> RawHttp.request("DELETE", known + "?x=%zz"))),
                Arguments.of(Named.of("no token", (Send) () -> RawHttp.send("DELETE " + known
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", null))),
                Arguments.of(Named.of("token with non-ASCII bytes", (Send) () -> RawHttp.send(("DELETE " + known
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Vault-Token: \u00ff\u00fe"
                        + DevServer.rootToken()).getBytes(StandardCharsets.ISO_8859_1), null))),
                Arguments.of(Named.of("token followed by a folded line", (Send) () -> RawHttp.send("DELETE " + known
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Vault-Token: bogus\r\n "
                        + DevServer.rootToken(), null))),
                Arguments.of(Named.of("invalid token before the root token", (Send) () -> RawHttp.send("DELETE " + known
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Vault-Token: bogus\r\nX-Vault-Token: "
                        + DevServer.rootToken(), null))),
                Arguments.of(Named.of("lowercase bearer", (Send) () -> RawHttp.send("DELETE " + known
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: bearer " + DevServer.rootToken(), null))),
                Arguments.of(Named.of("token in the query string", (Send) () -> RawHttp.send("DELETE " + known + "?token="
                        + DevServer.rootToken() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"malformedJson", "wrongTypes", "methodsPathsAndNames"})
    void hostileRequestsGetA4xxWithJsonErrorsAndChangeNothing(Send request) throws IOException {
        assertRefused(request.send());
    }

    private static void assertRefused(RawHttp.Answer a) {
        assertThat(a.toString(), a.status(), allOf(greaterThanOrEqualTo(400), lessThan(500)));
        assertThat(a.toString(), a.header("Content-Type"), equalTo("application/json"));
        assertThat(a.header("Cache-Control"), equalTo("no-store"));
        Object errors = JsonPath.from(a.text()).get("errors");
        assertThat(a.toString(), errors, instanceOf(List.class));
        List<?> list = (List<?>) errors;
        assertThat(a.toString(), list.isEmpty(), is(false));
        for (Object e : list) {
            assertThat(e, instanceOf(String.class));
            assertThat((String) e, not(emptyString()));
        }
    }

    // ---- sizes -------------------------------------------------------------------------------------

    /** {"key_type":"otp","default_user":"aaaa…"} of exactly {@code size} bytes: valid JSON that would replace the role. */
    /**
     * A role write of exactly {@code size} bytes that breaks no JSON limit: its bulk is an unknown
     * parameter holding half-mebibyte strings, and its {@code cidr_list} is no CIDR, so a body within
     * the size limit is read whole and then refused by the role's own rules, changing nothing.
     */
    private static byte[] bigRoleBody(long size) {
        byte[] head = utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\",\"cidr_list\":\"not-a-cidr\","
                + "\"padding\":[\"");
        byte[] tail = utf8("\"]}");
        byte[] body = new byte[(int) size];
        System.arraycopy(head, 0, body, 0, head.length);
        Arrays.fill(body, head.length, body.length - tail.length, (byte) 'a');
        // every half mebibyte, end one string and start the next: "aaa","aaa",...
        for (int at = head.length + HALF_MIB; at + 3 < body.length - tail.length; at += HALF_MIB) {
            body[at] = '"';
            body[at + 1] = ',';
            body[at + 2] = '"';
        }
        System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
        return body;
    }

    private static final int HALF_MIB = 512 * 1024;

    @Test
    void aBodyOver32MiBIs413() {
        Response r = Http.root().contentType("application/json").body(bigRoleBody(33 * MIB)).post(v1("roles/known"));
        assertThat(r.statusCode(), is(413));
        assertThat(r.header("Cache-Control"), equalTo("no-store"));
        assertThat(r.jsonPath().getList("errors"), equalTo(List.of("http: request body too large: the limit is 33554432 bytes")));
    }

    @Test
    void aBodyJustOver32MiBIs413AndOneAtTheLimitIsRead() {
        Response over = Http.root().contentType("application/json").body(bigRoleBody(32 * MIB + 1)).post(v1("roles/known"));
        assertThat(over.statusCode(), is(413));
        // exactly at the limit the body is read whole; its made-up CIDRs are then refused, still a 4xx
        Response at = Http.root().contentType("application/json").body(bigRoleBody(32 * MIB)).post(v1("roles/known"));
        assertThat(at.statusCode(), is(400));
        assertThat(at.jsonPath().getList("errors"),
                equalTo(List.of("failed to validate cidr_list: invalid CIDR address: not-a-cidr")));
    }

    @Test
    void aChunkedBodyOver32MiBWithoutContentLengthIs413() throws IOException {
        // REST Assured (Apache HttpClient 4) buffers even an InputStream body and sends a
        // Content-Length, so the chunked request goes over a raw socket
        byte[] body = bigRoleBody(33 * MIB);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        int chunk = 1 << 20;
        for (int off = 0; off < body.length; off += chunk) {
            int n = Math.min(chunk, body.length - off);
            chunked.writeBytes(utf8(Integer.toHexString(n) + "\r\n"));
            chunked.write(body, off, n);
            chunked.writeBytes(utf8("\r\n"));
        }
        chunked.writeBytes(utf8("0\r\n\r\n"));
        RawHttp.Answer a = RawHttp.send("POST " + v1("roles/known") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "X-Vault-Token: " + DevServer.rootToken() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
                chunked.toByteArray());
        assertThat(a.toString(), a.status(), is(413));
        assertRefused(a);
    }

    @Test
    void aHugeDeclaredContentLengthIsRefusedAtOnce() throws IOException {
        long start = System.nanoTime();
        RawHttp.Answer a = RawHttp.send("POST " + v1("roles/known") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "X-Vault-Token: " + DevServer.rootToken() + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (1L << 40), utf8("{\"key_type\":\"otp\",\"default_user\":\"mallory\"}"));
        assertThat(a.toString(), a.status(), is(413));
        assertRefused(a);
        assertThat("answered without waiting for the body", (System.nanoTime() - start) / 1_000_000, lessThan(10_000L));
    }

    // ---- protocol-level refusals -------------------------------------------------------------------

    static Stream<Arguments> malformedHttp() {
        String known = v1("roles/known");
        String tok = DevServer.rootToken();
        return Stream.of(
                Arguments.of(Named.of("CR inside a header value", "DELETE " + known + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "X-Vault-Token: " + tok + "\rX-Injected: 1")),
                Arguments.of(Named.of("NUL inside a header value", "DELETE " + known + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "X-Vault-Token: " + tok + "\u0000")),
                Arguments.of(Named.of("CR in the request target", "DELETE " + known + "\rX-Evil: 1 HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\nX-Vault-Token: " + tok)),
                Arguments.of(Named.of("space before a header colon", "DELETE " + known + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "X-Vault-Token : " + tok)),
                Arguments.of(Named.of("two different Content-Lengths", "POST " + known + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "X-Vault-Token: " + tok + "\r\nContent-Length: 2\r\nContent-Length: 40")),
                Arguments.of(Named.of("negative Content-Length", "POST " + known + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "X-Vault-Token: " + tok + "\r\nContent-Length: -5")),
                Arguments.of(Named.of("a 100 KB header", "DELETE " + known + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "X-Vault-Token: " + tok + "\r\nX-Big: " + "a".repeat(100_000))),
                Arguments.of(Named.of("a 1 MB role name", "DELETE " + v1("roles/" + "k".repeat(1 << 20)) + " HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\nX-Vault-Token: " + tok)),
                Arguments.of(Named.of("garbage request line", "\u0001\u0002 nonsense")));
    }

    /**
     * Requests that are not HTTP/1.1 at all are refused by the HTTP codec before any API code runs,
     * with a bare status as Go's net/http does (so no JSON body); they must still be 4xx and harmless.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHttp")
    void malformedHttpIsRefusedByTheCodecWithA4xx(String head) throws IOException {
        RawHttp.Answer a = RawHttp.send(head.getBytes(StandardCharsets.ISO_8859_1), utf8("{}"));
        assertThat(a.toString(), a.status(), allOf(greaterThanOrEqualTo(400), lessThan(500)));
        assertThat(a.header("X-Injected"), nullValue());
    }

    // ---- redirects that look like traversal --------------------------------------------------------

    @Test
    void dotDotSegmentsAreRedirectedToTheCleanedPathAndNeverServed() throws IOException {
        RawHttp.Answer read = RawHttp.request("GET", v1("roles/../../sys/mounts"));
        assertThat(read.status(), is(301));
        assertThat(read.header("Location"), equalTo("/v1/sys/mounts"));
        assertThat(read.text(), emptyString());

        String evil = "evil-" + mount;
        RawHttp.Answer mountWrite = RawHttp.request("POST", v1("roles/../../sys/mounts/" + evil), "application/json",
                utf8("{\"type\":\"ssh\"}"));
        assertThat(mountWrite.status(), is(301));
        assertThat(mountWrite.header("Location"), equalTo("/v1/sys/mounts/" + evil));
        Http.root().get("/v1/sys/mounts").then().statusCode(200).body("data", not(org.hamcrest.Matchers.hasKey(evil + "/")));

        RawHttp.Answer delete = RawHttp.request("DELETE", v1("roles/x/../known"));
        assertThat(delete.status(), is(301));
        assertThat(delete.header("Location"), equalTo(v1("roles/known")));

        RawHttp.Answer aboveRoot = RawHttp.request("GET", "/v1/../../../etc/passwd");
        assertThat(aboveRoot.status(), is(301));
        assertThat(aboveRoot.header("Location"), equalTo("/etc/passwd"));
    }

    @Test
    void theNamespaceHeaderIsEchoedOnlyAsLiteralText() throws IOException {
        RawHttp.Answer a = RawHttp.request("GET", v1("roles/known"), null, null,
                "X-Vault-Namespace: a%0d%0aSet-Cookie: session=stolen");
        assertThat(a.status(), is(200));
        assertThat(a.header("X-Vault-Namespace"), equalTo("a%0d%0aSet-Cookie: session=stolen"));
        assertThat(a.header("Set-Cookie"), nullValue());
    }

    @Test
    void headIsRefusedWithoutABody() throws IOException {
        RawHttp.Answer a = RawHttp.request("HEAD", v1("roles/known"));
        assertThat(a.status(), is(405));
        assertThat(a.text(), emptyString());
    }

    // ---- odd but valid values ----------------------------------------------------------------------

    /**
     * Odd Unicode and control characters inside field values are data, not syntax: a role written
     * with them is read back exactly (and the known role is untouched).
     */
    @Test
    void oddUnicodeValuesAreStoredAndReadBackExactly() {
        List<String> values = List.of("a\u0000b", "\u202Eevil", "\uD83D\uDE00\uD83D\uDD11", "\u0007\u001B[31m",
                "\uFEFFbom", "line\nbreak\ttab", "quote\"back\\slash", "\u00E9\u0301", "x".repeat(1 << 20));
        for (String v : values) {
            String json = "{\"key_type\":\"otp\",\"default_user\":" + jsonString(v) + ",\"allowed_users\":" + jsonString(v) + "}";
            Http.json(json).post(v1("roles/odd")).then().statusCode(204);
            Map<String, Object> d = data(Http.root().get(v1("roles/odd")));
            assertThat(d.get("default_user"), equalTo(v));
            assertThat(d.get("allowed_users"), equalTo(v));
        }
        // a lone surrogate escape is accepted and echoed as the same escape
        Http.json("{\"key_type\":\"otp\",\"default_user\":\"\\ud800\"}").post(v1("roles/odd")).then().statusCode(204);
        String body = Http.root().get(v1("roles/odd")).then().statusCode(200).extract().asString();
        assertThat(body.toLowerCase(), org.hamcrest.Matchers.containsString("\"default_user\":\"\\ud800\""));
        Http.root().delete(v1("roles/odd")).then().statusCode(204);
        Http.root().get(v1("roles/odd")).then().statusCode(404);
    }

    @Test
    void oddUnknownParameterNamesAreListedInByteOrderInTheWarning() {
        // Go sorts the names bytewise (UTF-8), i.e. by code point
        Http.json("{\"ip\":\"10.1.1.1\",\"\uD83D\uDE00\":1,\"\uFF01\":2,\"b\\u0000\":3,\"\\u202E\":4,\"a\":5}")
                .post(v1("creds/known")).then().statusCode(200)
                .body("warnings", equalTo(List.of("Endpoint ignored these unrecognized parameters: "
                        + "[a b\u0000 \u202E \uFF01 \uD83D\uDE00]")));
    }

    @Test
    void duplicateKeysAreHarmless() {
        Http.json("{\"ip\":\"10.0.0.1\",\"ip\":\"10.0.0.2\"}").post(v1("creds/known")).then().statusCode(200)
                .body("data.ip", equalTo("10.0.0.2"));
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
