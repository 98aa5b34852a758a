package dev.latchkey.api;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import dev.latchkey.testing.VaultErrors;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code sys/mounts}, {@code sys/mounts/<path>} and {@code sys/mounts/<path>/tune}. */
class MountsTest {
    /** Exactly what {@code vault secrets enable -path=... ssh} sends. */
    private static final String CLI_ENABLE_BODY = "{\"type\":\"ssh\",\"description\":\"\",\"config\":{\"options\":null,"
            + "\"default_lease_ttl\":\"0s\",\"max_lease_ttl\":\"0s\",\"force_no_cache\":false},\"local\":false,"
            + "\"seal_wrap\":false,\"external_entropy_access\":false,\"options\":null}";
    private static final long SYSTEM_TTL = 2764800;
    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final AtomicInteger N = new AtomicInteger();

    /** A fresh mount path of this class: {@code <hint>-<tag>-<n>}. */
    private static String fresh(String hint) {
        return hint + "-" + TAG + "-" + N.incrementAndGet();
    }

    private static Response enable(String path, String body) {
        return json(DevServer.root(), body).post("/v1/sys/mounts/" + path);
    }

    private static Response tune(String path, String body) {
        return json(DevServer.root(), body).post("/v1/sys/mounts/" + path + "/tune");
    }

    private static void assertRejected(Response r, String message) {
        r.then().statusCode(400).contentType("application/json").body("errors", contains(message));
    }

    @SuppressWarnings("unchecked")
    private static void assertMountObject(String path, Object value) {
        assertThat(path + " is a mount object", value, instanceOf(Map.class));
        Map<String, Object> m = (Map<String, Object>) value;
        String type = (String) m.get("type");
        assertThat(path, type, not(emptyString()));
        assertThat(path + " accessor", (String) m.get("accessor"), matchesPattern(type + "_[0-9a-f]{8}"));
        assertThat(path, m.get("uuid"), instanceOf(String.class));
        assertThat(path, m.get("description"), instanceOf(String.class));
        for (String b : List.of("local", "seal_wrap", "external_entropy_access")) {
            assertThat(path + " " + b, m.get(b), instanceOf(Boolean.class));
        }
        assertThat(path, m, hasKey("options"));
        assertThat(path, m.get("plugin_version"), instanceOf(String.class));
        assertThat(path, m.get("running_plugin_version"), equalTo("v1.21.0+builtin.vault"));
        assertThat(path, m.get("running_sha256"), instanceOf(String.class));
        assertThat(path, m.get("deprecation_status"), equalTo("supported"));
        Map<String, Object> config = (Map<String, Object>) m.get("config");
        assertThat(path + " config", config.get("default_lease_ttl"), instanceOf(Integer.class));
        assertThat(path + " config", config.get("max_lease_ttl"), instanceOf(Integer.class));
        assertThat(path + " config", config.get("force_no_cache"), instanceOf(Boolean.class));
    }

    @Test
    void listHasEveryMountInDataAndAtTopLevel() {
        String a = DevServer.enableSsh("mnt-list");
        String b = DevServer.enableSsh("mnt-list");
        Response r = DevServer.root().get("/v1/sys/mounts");
        r.then().statusCode(200).body("mount_type", equalTo("system")).body("lease_id", equalTo(""));
        Map<String, Object> body = r.jsonPath().getMap("");
        Map<String, Object> data = r.jsonPath().getMap("data");
        assertThat(data, hasKey(a + "/"));
        assertThat(data, hasKey(b + "/"));
        assertThat(data, hasKey("sys/"));
        for (Map.Entry<String, Object> e : data.entrySet()) {
            assertThat(e.getKey(), endsWith("/"));
            assertMountObject(e.getKey(), e.getValue());
            assertThat("top-level copy of " + e.getKey(), body.get(e.getKey()), equalTo(e.getValue()));
        }
        assertThat(((Map<?, ?>) data.get("sys/")).get("type"), equalTo("system"));
        @SuppressWarnings("unchecked")
        Map<String, Object> mine = (Map<String, Object>) data.get(a + "/");
        assertThat(mine.get("type"), equalTo("ssh"));
        assertThat((String) mine.get("accessor"), matchesPattern("ssh_[0-9a-f]{8}"));
        assertThat(mine.get("description"), equalTo(""));
        assertThat(mine.get("options"), nullValue());
        assertThat(mine.get("local"), equalTo(false));
        assertThat(mine.get("seal_wrap"), equalTo(false));
        assertThat(mine.get("external_entropy_access"), equalTo(false));
        assertThat(mine.get("plugin_version"), equalTo(""));
        assertThat(mine.get("running_sha256"), equalTo(""));
        assertThat(mine.get("config"), equalTo(Map.of("default_lease_ttl", 0, "max_lease_ttl", 0,
                "force_no_cache", false)));
        assertThat("accessors are unique", ((Map<?, ?>) data.get(b + "/")).get("accessor"),
                not(equalTo(mine.get("accessor"))));
        assertThat("uuids are unique", ((Map<?, ?>) data.get(b + "/")).get("uuid"), not(equalTo(mine.get("uuid"))));
    }

    @Test
    void enableWithTheCliBodyThenReadTheMount() {
        String p = fresh("cli");
        enable(p, CLI_ENABLE_BODY).then().statusCode(204);
        Response r = DevServer.root().get("/v1/sys/mounts/" + p);
        r.then().statusCode(200)
                .body("data.type", equalTo("ssh"))
                .body("data.description", equalTo(""))
                .body("data.accessor", matchesPattern("ssh_[0-9a-f]{8}"))
                .body("data.uuid", not(emptyString()))
                .body("data.local", equalTo(false))
                .body("data.seal_wrap", equalTo(false))
                .body("data.external_entropy_access", equalTo(false))
                .body("data.options", nullValue())
                .body("data.running_plugin_version", equalTo("v1.21.0+builtin.vault"))
                .body("data.deprecation_status", equalTo("supported"))
                .body("data.config.default_lease_ttl", equalTo(0))
                .body("data.config.max_lease_ttl", equalTo(0))
                .body("data.config.force_no_cache", equalTo(false));
        assertMountObject(p, r.path("data"));
        Map<String, Object> listed = DevServer.root().get("/v1/sys/mounts").jsonPath().getMap("data");
        assertThat(listed.get(p + "/"), equalTo(r.path("data")));
    }

    @Test
    void enableKeepsDescriptionOptionsAndFlags() {
        String p = fresh("desc");
        enable(p, "{\"type\":\"ssh\",\"description\":\"team keys\",\"options\":{\"k\":\"v\"},"
                + "\"config\":{\"force_no_cache\":true,\"listing_visibility\":\"unauth\"}}").then().statusCode(204);
        DevServer.root().get("/v1/sys/mounts/" + p).then().statusCode(200)
                .body("data.description", equalTo("team keys"))
                .body("data.options", equalTo(Map.of("k", "v")))
                .body("data.config.force_no_cache", equalTo(true))
                .body("data.config.listing_visibility", equalTo("unauth"));
    }

    @Test
    void severalSshMountsAtArbitraryPathsEachWork() {
        String a1 = fresh("a");
        String a2 = fresh("a");
        String deep = fresh("deep") + "/x/y";
        for (String p : List.of(a1, a2, deep)) {
            enable(p, "{\"type\":\"ssh\"}").then().statusCode(204);
        }
        Map<String, Object> data = DevServer.root().get("/v1/sys/mounts").jsonPath().getMap("data");
        for (String p : List.of(a1, a2, deep)) {
            assertThat(data, hasKey(p + "/"));
            json(DevServer.root(), "{\"key_type\":\"otp\",\"default_user\":\"u-" + p.length() + "\"}")
                    .post("/v1/" + p + "/roles/r").then().statusCode(204);
            DevServer.root().get("/v1/" + p + "/roles/r").then().statusCode(200)
                    .body("mount_type", equalTo("ssh"))
                    .body("data.default_user", equalTo("u-" + p.length()));
        }
        // the mounts do not share data
        DevServer.root().delete("/v1/" + a1 + "/roles/r").then().statusCode(204);
        DevServer.root().get("/v1/" + a1 + "/roles/r").then().statusCode(404);
        DevServer.root().get("/v1/" + a2 + "/roles/r").then().statusCode(200);
        // nothing is mounted at the intermediate levels of the deep path
        String top = deep.substring(0, deep.indexOf('/'));
        DevServer.root().get("/v1/" + top + "/x/roles/r").then().statusCode(404)
                .body("errors", contains("no handler for route \"" + top + "/x/roles/r\". route entry not found."));
    }

    @Test
    void samePathTwiceIsInUse() {
        String p = DevServer.enableSsh("dup");
        assertRejected(enable(p, CLI_ENABLE_BODY), "path is already in use at " + p + "/");
    }

    @Test
    void mountInsideAnotherIsRefused() {
        String p = DevServer.enableSsh("outer");
        assertRejected(enable(p + "/inner", "{\"type\":\"ssh\"}"), "existing mount at " + p + "/");
        assertRejected(enable(p + "/a/b/c", "{\"type\":\"ssh\"}"), "existing mount at " + p + "/");
    }

    @Test
    void mountContainingAnotherIsRefused() {
        String top = fresh("deep");
        enable(top + "/x/y", "{\"type\":\"ssh\"}").then().statusCode(204);
        assertRejected(enable(top + "/x", "{\"type\":\"ssh\"}"), "existing mount at " + top + "/x/y/");
        assertRejected(enable(top, "{\"type\":\"ssh\"}"), "existing mount at " + top + "/x/y/");
        // a sibling is fine
        enable(top + "/x/z", "{\"type\":\"ssh\"}").then().statusCode(204);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sys", "sys/x", "auth", "auth/token2", "auth/token/x", "audit", "audit/file",
            "cubbyhole", "cubbyhole/x", "identity", "identity/x"})
    void reservedPrefixesCannotBeMounted(String path) {
        assertRejected(enable(path, "{\"type\":\"ssh\"}"), "cannot mount \"" + path + "/\"");
    }

    @Test
    void typeIsRequired() {
        assertRejected(enable(fresh("notype"), "{\"description\":\"x\"}"), "backend type must be specified as a string");
        assertRejected(enable(fresh("notype"), "{\"type\":\"\"}"), "backend type must be specified as a string");
        assertRejected(enable(fresh("notype"), ""), "backend type must be specified as a string");
    }

    @Test
    void unknownTypeIs400() {
        String p = fresh("kv");
        enable(p, "{\"type\":\"kv\"}").then().statusCode(400)
                .body("errors", hasSize(1)).body("errors[0]", containsString("kv"));
        assertThat(DevServer.root().get("/v1/sys/mounts").jsonPath().getMap("data"), not(hasKey(p + "/")));
    }

    @Test
    void unparsableTtlsAre400() {
        enable(fresh("ttl"), "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":\"abc\"}}").then().statusCode(400)
                .body("errors", hasSize(1)).body("errors[0]", startsWith("unable to parse default TTL of abc"));
        enable(fresh("ttl"), "{\"type\":\"ssh\",\"config\":{\"max_lease_ttl\":\"12x\"}}").then().statusCode(400)
                .body("errors", hasSize(1)).body("errors[0]", startsWith("unable to parse max TTL of 12x"));
    }

    @Test
    void defaultAboveMaxIs400() {
        assertRejected(enable(fresh("ttl"), "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":\"2h\","
                + "\"max_lease_ttl\":\"1h\"}}"), "given default lease TTL greater than given max lease TTL");
    }

    @Test
    void defaultAboveSystemMaxWithoutMountMaxIs400() {
        assertRejected(enable(fresh("ttl"), "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":\"769h\"}}"),
                "given default lease TTL greater than system max lease TTL of 2764800");
    }

    @Test
    void systemEmptyAndZeroTtlsMeanSystemDefault() {
        for (String v : List.of("system", "", "0s", "0")) {
            String p = fresh("zero");
            enable(p, "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":\"" + v + "\",\"max_lease_ttl\":\"" + v
                    + "\"}}").then().statusCode(204);
            DevServer.root().get("/v1/sys/mounts/" + p).then().statusCode(200)
                    .body("data.config.default_lease_ttl", equalTo(0))
                    .body("data.config.max_lease_ttl", equalTo(0));
            DevServer.root().get("/v1/sys/mounts/" + p + "/tune").then().statusCode(200)
                    .body("data.default_lease_ttl", equalTo((int) SYSTEM_TTL))
                    .body("data.max_lease_ttl", equalTo((int) SYSTEM_TTL));
        }
    }

    @Test
    void durationsOnEnableAreStoredInSeconds() {
        String p = fresh("dur");
        enable(p, "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":\"90m\",\"max_lease_ttl\":\"2h\"}}")
                .then().statusCode(204);
        DevServer.root().get("/v1/sys/mounts/" + p).then().statusCode(200)
                .body("data.config.default_lease_ttl", equalTo(5400))
                .body("data.config.max_lease_ttl", equalTo(7200));
    }

    @Test
    void badListingVisibilityIs400() {
        assertRejected(enable(fresh("vis"), "{\"type\":\"ssh\",\"config\":{\"listing_visibility\":\"bogus\"}}"),
                "invalid listing_visibility bogus");
        String p = DevServer.enableSsh("vis");
        tune(p, "{\"listing_visibility\":\"everyone\"}").then().statusCode(400)
                .body("errors", contains("invalid listing_visibility everyone"));
        tune(p, "{\"listing_visibility\":\"hidden\"}").then().statusCode(204);
        DevServer.root().get("/v1/sys/mounts/" + p + "/tune").then().statusCode(200)
                .body("data.listing_visibility", equalTo("hidden"));
    }

    @Test
    void tuneReadShowsEffectiveSeconds() {
        String p = DevServer.enableSsh("tune-read");
        DevServer.root().get("/v1/sys/mounts/" + p + "/tune").then().statusCode(200)
                .body("mount_type", equalTo("system"))
                .body("data.default_lease_ttl", equalTo((int) SYSTEM_TTL))
                .body("data.max_lease_ttl", equalTo((int) SYSTEM_TTL))
                .body("data.description", equalTo(""))
                .body("data.force_no_cache", equalTo(false));
    }

    @Test
    void tuneWriteChangesTtlsAndEmptyStringLeavesThemAlone() {
        String p = DevServer.enableSsh("tune-ttl");
        tune(p, "{\"default_lease_ttl\":\"1h\",\"max_lease_ttl\":\"2h\"}").then().statusCode(204);
        assertTtls(p, 3600, 7200);
        DevServer.root().get("/v1/sys/mounts/" + p).then()
                .body("data.config.default_lease_ttl", equalTo(3600))
                .body("data.config.max_lease_ttl", equalTo(7200));

        tune(p, "{\"default_lease_ttl\":\"\",\"max_lease_ttl\":\"\"}").then().statusCode(204);
        assertTtls(p, 3600, 7200);
        tune(p, "{\"max_lease_ttl\":\"3h\"}").then().statusCode(204);
        assertTtls(p, 3600, 10800);

        tune(p, "{\"default_lease_ttl\":\"system\",\"max_lease_ttl\":\"system\"}").then().statusCode(204);
        assertTtls(p, SYSTEM_TTL, SYSTEM_TTL);
        DevServer.root().get("/v1/sys/mounts/" + p).then()
                .body("data.config.default_lease_ttl", equalTo(0))
                .body("data.config.max_lease_ttl", equalTo(0));
    }

    @Test
    void tuneWriteRejectsBadTtls() {
        String p = DevServer.enableSsh("tune-bad");
        tune(p, "{\"default_lease_ttl\":\"3h\",\"max_lease_ttl\":\"1h\"}").then().statusCode(400)
                .body("errors", hasSize(1));
        tune(p, "{\"default_lease_ttl\":\"soon\"}").then().statusCode(400)
                .body("errors[0]", startsWith("unable to parse default TTL of soon"));
        assertTtls(p, SYSTEM_TTL, SYSTEM_TTL);
    }

    @Test
    void tuneWriteChangesTheDescription() {
        String p = DevServer.enableSsh("tune-desc");
        tune(p, "{\"description\":\"ops hosts\"}").then().statusCode(204);
        DevServer.root().get("/v1/sys/mounts/" + p + "/tune").then().body("data.description", equalTo("ops hosts"));
        DevServer.root().get("/v1/sys/mounts/" + p).then().body("data.description", equalTo("ops hosts"));
        tune(p, "{\"default_lease_ttl\":\"1h\"}").then().statusCode(204);
        DevServer.root().get("/v1/sys/mounts/" + p).then().body("data.description", equalTo("ops hosts"));
    }

    @Test
    void tuneWriteMergesOptions() {
        String p = fresh("tune-opt");
        enable(p, "{\"type\":\"ssh\",\"options\":{\"a\":\"1\",\"b\":\"old\"}}").then().statusCode(204);
        tune(p, "{\"options\":{\"b\":\"2\",\"c\":\"3\"}}").then().statusCode(204);
        Map<String, Object> options = DevServer.root().get("/v1/sys/mounts/" + p + "/tune").jsonPath()
                .getMap("data.options");
        assertThat(options, aMapWithSize(3));
        assertThat(options, hasEntry("a", "1"));
        assertThat(options, hasEntry("b", "2"));
        assertThat(options, hasEntry("c", "3"));
        DevServer.root().get("/v1/sys/mounts/" + p).then()
                .body("data.options", equalTo(Map.of("a", "1", "b", "2", "c", "3")));
    }

    private static void assertTtls(String p, long def, long max) {
        DevServer.root().get("/v1/sys/mounts/" + p + "/tune").then().statusCode(200)
                .body("data.default_lease_ttl", equalTo((int) def))
                .body("data.max_lease_ttl", equalTo((int) max));
    }

    @Test
    void disableRemovesTheMount() {
        String p = DevServer.enableSsh("gone");
        Requests.otpRole(p, "r");
        DevServer.root().delete("/v1/sys/mounts/" + p).then().statusCode(204);
        assertThat(DevServer.root().get("/v1/sys/mounts").jsonPath().getMap("data"), not(hasKey(p + "/")));
        DevServer.root().get("/v1/" + p + "/roles/r").then().statusCode(404)
                .body("errors", contains("no handler for route \"" + p + "/roles/r\". route entry not found."));
    }

    @Test
    void disablingAnUnmountedPathIs204() {
        DevServer.root().delete("/v1/sys/mounts/" + fresh("never")).then().statusCode(204);
    }

    @Test
    void disablingSysIs400() {
        DevServer.root().delete("/v1/sys/mounts/sys").then().statusCode(400)
                .body("errors", contains("cannot unmount \"sys/\""));
        assertThat(DevServer.root().get("/v1/sys/mounts").jsonPath().getMap("data"), hasKey("sys/"));
    }

    @Test
    void disablingRevokesLeasesAndDeletesData() {
        String p = DevServer.enableSsh("wipe");
        Requests.otpRole(p, "web");
        json(DevServer.root(), "{\"roles\":[\"web\"]}").post("/v1/" + p + "/config/zeroaddress").then().statusCode(204);
        Response creds = CoreApiSupport.creds(p, "web");
        String leaseId = creds.path("lease_id");
        String otp = creds.path("data.key");
        CoreApiSupport.lookupLease(leaseId).then().statusCode(200);

        DevServer.root().delete("/v1/sys/mounts/" + p).then().statusCode(204);
        CoreApiSupport.assertLeaseGone(leaseId);

        enable(p, CLI_ENABLE_BODY).then().statusCode(204);
        DevServer.root().get("/v1/" + p + "/roles/web").then().statusCode(404).body("errors", hasSize(0));
        DevServer.root().request("LIST", "/v1/" + p + "/roles").then().statusCode(404).body("errors", hasSize(0));
        DevServer.root().get("/v1/" + p + "/config/zeroaddress").then().statusCode(404);
        CoreApiSupport.assertOtpRevoked(p, otp);
        DevServer.root().request("LIST", "/v1/sys/leases/lookup/" + p + "/creds/web/").then().statusCode(404);
    }

    @Test
    void mountsNeedAToken() {
        DevServer.anonymous().get("/v1/sys/mounts").then().statusCode(403)
                .body("errors", contains(VaultErrors.PERMISSION_DENIED));
        DevServer.anonymous().contentType("application/json").body(CLI_ENABLE_BODY)
                .post("/v1/sys/mounts/" + fresh("anon")).then().statusCode(403);
    }

    /**
     * A mount path with an empty, {@code .} or {@code ..} segment is refused by every endpoint
     * that names one (encoded slashes keep the HTTP layer from cleaning the path first), and
     * nothing is mounted: {@code a/../../sys} would otherwise sit beside {@code sys/}.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            POST   | a%2F..%2F..%2Fsys | {"type":"ssh"} | invalid mount path "a/../../sys/": relative paths not supported
            POST   | ssh%2F..          | {"type":"ssh"} | invalid mount path "ssh/../": relative paths not supported
            POST   | %2E%2E            | {"type":"ssh"} | invalid mount path "../": relative paths not supported
            POST   | a%2F.%2Fb         | {"type":"ssh"} | invalid mount path "a/./b/": relative paths not supported
            POST   | a%2F%2Fb          | {"type":"ssh"} | invalid mount path "a//b/": empty path segment
            GET    | a%2F..%2F..%2Fsys |                | invalid mount path "a/../../sys/": relative paths not supported
            DELETE | a%2F..%2F..%2Fsys |                | invalid mount path "a/../../sys/": relative paths not supported
            DELETE | a%2F%2Fb          |                | invalid mount path "a//b/": empty path segment
            GET    | a%2F..%2Fb/tune   |                | invalid mount path "a/../b/": relative paths not supported
            POST   | a%2F..%2Fb/tune   | {"description":"x"} | invalid mount path "a/../b/": relative paths not supported
            """)
    void dotAndEmptySegmentsAreNoMountPath(String method, String path, String body, String message) {
        var request = DevServer.root().urlEncodingEnabled(false);
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        assertRejected(request.request(method, "/v1/sys/mounts/" + path), message);
        Response list = DevServer.root().get("/v1/sys/mounts");
        list.then().statusCode(200);
        Map<String, Object> mounted = list.jsonPath().getMap("data");
        assertThat(mounted.keySet().stream().filter(k -> k.contains("..") || k.contains("//")).toList(), hasSize(0));
    }

    /** A number no field can hold is a quick 400 on enable and tune alike (tune's TTLs are string fields). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e2000000000", "1e2147483647", "1e-2000000000", "123456789e999999999"})
    void anAbsurdNumberIsABadRequest(String number) {
        String p = fresh("numbers");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Response config = enable(p, "{\"type\":\"ssh\",\"config\":{\"default_lease_ttl\":" + number + "}}");
            if (number.contains("e-")) {
                config.then().statusCode(204); // a fraction of a second is 0 seconds (the default), as 0.5 is
                DevServer.root().delete("/v1/sys/mounts/" + p).then().statusCode(204);
            } else {
                config.then().statusCode(400);
            }
            enable(p, "{\"type\":\"ssh\",\"description\":" + number + "}").then().statusCode(400);
            enable(p, "{\"type\":\"ssh\"}").then().statusCode(204);
            tune(p, "{\"default_lease_ttl\":" + number + "}").then().statusCode(400).body("errors", hasSize(1));
            tune(p, "{\"max_lease_ttl\":" + number + "}").then().statusCode(400).body("errors", hasSize(1));
        });
    }
}
