package dev.latchkey.api.ssh.dynamic;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Admin keys ({@code keys/:name}, spec §3.7.1–3.7.2), {@code tidy/dynamic-keys} (§3.7.7) and dynamic
 * roles (§3.2.1 step 6, §3.2.2), as Vault 1.12 has them. Installing keys on hosts comes later.
 */
class DynamicRolesTest {
    @TempDir
    static Path dir;
    static String mount;
    static String rsaPem;
    static String ed25519OpenSsh;
    static String ecdsaPkcs8;

    @BeforeAll
    static void setUp() throws Exception {
        mount = DevServer.enableSsh("dyn");
        rsaPem = keygen("rsa", "-b", "2048", "-m", "PEM");
        ed25519OpenSsh = keygen("ed25519");
        ecdsaPkcs8 = keygen("ecdsa", "-b", "256", "-m", "PKCS8");
    }

    private static String keygen(String type, String... extra) throws IOException, InterruptedException {
        Path key = dir.resolve(type + System.nanoTime());
        List<String> cmd = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "", "-f",
                key.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
        }
        return Files.readString(key, StandardCharsets.UTF_8);
    }

    private static Response post(String path, Map<String, Object> body) {
        return DevServer.root().contentType("application/json").body(body).post("/v1/" + mount + "/" + path);
    }

    private static void assertError(Response r, int status, String message) {
        r.then().statusCode(status).body("errors", equalTo(List.of(message)));
    }

    private static Map<String, Object> role(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(Map.of("key_type", "dynamic", "default_user", "app",
                "key", "admin", "admin_user", "ops", "cidr_list", "10.0.0.0/8"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove((String) kv[i]);
            } else {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @Test
    void adminKeysInEveryFormatAreAcceptedAndNeverReadable() {
        for (String pem : List.of(rsaPem, ed25519OpenSsh, ecdsaPkcs8)) {
            post("keys/admin", Map.of("key", pem)).then().statusCode(204);
        }
        DevServer.root().get("/v1/" + mount + "/keys/admin").then().statusCode(405);
        DevServer.root().request("LIST", "/v1/" + mount + "/keys").then().statusCode(404); // no list path in 1.12
    }

    @Test
    void anUnparsableOrEmptyKeyIsInvalid() {
        assertError(post("keys/bad", Map.of("key", "not a key")), 400, "Invalid key");
        assertError(post("keys/bad", Map.of("key", "")), 400, "Invalid key");
        assertError(post("keys/bad", Map.of()), 400, "Invalid key");
        post("keys/a@b", Map.of("key", rsaPem)).then().statusCode(404);
    }

    @Test
    void deletingAKeyIsIdempotent() {
        post("keys/gone", Map.of("key", rsaPem)).then().statusCode(204);
        DevServer.root().delete("/v1/" + mount + "/keys/gone").then().statusCode(204);
        DevServer.root().delete("/v1/" + mount + "/keys/gone").then().statusCode(204);
        assertError(post("roles/uses-gone", role("key", "gone")), 400, "invalid 'key': \"gone\"");
    }

    @Test
    void roleWriteChecksStepSixInVaultsOrder() {
        post("keys/admin", Map.of("key", rsaPem)).then().statusCode(204);
        assertError(post("roles/r", role("default_user", null, "key", null, "admin_user", null)), 400,
                "missing default user");
        assertError(post("roles/r", role("key", null, "admin_user", null)), 400, "missing key name");
        assertError(post("roles/r", role("key", "nope", "admin_user", null)), 400, "invalid 'key': \"nope\"");
        assertError(post("roles/r", role("admin_user", null)), 400, "missing admin username");
        assertError(post("roles/r", role("key_bits", 1000)), 400, "invalid key_bits field");
        assertError(post("roles/r", role("cidr_list", "10.0.0.0/33")), 400,
                "failed to validate cidr_list: invalid CIDR address: 10.0.0.0/33");
        DevServer.root().get("/v1/" + mount + "/roles/r").then().statusCode(404);
    }

    @Test
    void aDynamicRoleReadsBackWithTheBuiltInScriptAndDefaults() {
        post("keys/admin", Map.of("key", ed25519OpenSsh)).then().statusCode(204);
        post("roles/web", role("port", 2222, "allowed_users", "app,deploy", "key_option_specs", "no-pty")).then()
                .statusCode(204);
        Response read = DevServer.root().get("/v1/" + mount + "/roles/web");
        read.then().statusCode(200)
                .body("data.key_type", equalTo("dynamic"))
                .body("data.key", equalTo("admin"))
                .body("data.admin_user", equalTo("ops"))
                .body("data.default_user", equalTo("app"))
                .body("data.allowed_users", equalTo("app,deploy"))
                .body("data.cidr_list", equalTo("10.0.0.0/8"))
                .body("data.exclude_cidr_list", equalTo(""))
                .body("data.port", equalTo(2222))
                .body("data.key_bits", equalTo(2048))
                .body("data.key_option_specs", equalTo("no-pty"))
                .body("data.install_script", startsWith("#!/bin/bash"))
                .body("data.install_script", containsString("flock --timeout 10"))
                .body(not(containsString("PRIVATE KEY")));
        assertEquals(11, read.jsonPath().getMap("data").size());
        DevServer.root().get("/v1/" + mount + "/roles?list=true").then().statusCode(200)
                .body("data.key_info.web.key_type", equalTo("dynamic"));
        post("roles/custom", role("install_script", "#!/bin/sh\nexit 0\n", "key_bits", 4096)).then().statusCode(204);
        DevServer.root().get("/v1/" + mount + "/roles/custom").then().statusCode(200)
                .body("data.install_script", equalTo("#!/bin/sh\nexit 0\n"))
                .body("data.key_bits", equalTo(4096));
    }

    @Test
    void credsOnADynamicRoleSayPlainlyThatInstallingIsNotAvailableYet() {
        post("keys/admin", Map.of("key", rsaPem)).then().statusCode(204);
        post("roles/later", role()).then().statusCode(204);
        assertError(post("creds/later", Map.of("ip", "192.168.1.1")), 400,
                "Error validating IP: IP does not belong to role");
        assertError(post("creds/later", Map.of("ip", "10.1.2.3")), 400,
                "dynamic key credentials are not available yet: this release stores dynamic roles and admin keys "
                        + "but does not install keys on hosts");
    }

    @Test
    void tidyRemovesEveryAdminKey() {
        String other = DevServer.enableSsh("tidy");
        DevServer.root().contentType("application/json").body(Map.of("key", rsaPem))
                .post("/v1/" + other + "/keys/one").then().statusCode(204);
        DevServer.root().contentType("application/json").body(Map.of("key", ecdsaPkcs8))
                .post("/v1/" + other + "/keys/two").then().statusCode(204);
        DevServer.root().delete("/v1/" + other + "/tidy/dynamic-keys").then().statusCode(200)
                .body("data.message", equalTo("Removed 2 of 2 host keys."));
        DevServer.root().delete("/v1/" + other + "/tidy/dynamic-keys").then().statusCode(200)
                .body("data.message", equalTo("Removed 0 of 0 host keys."));
        DevServer.root().contentType("application/json").body(role())
                .post("/v1/" + other + "/roles/after").then().statusCode(400)
                .body("errors", equalTo(List.of("invalid 'key': \"admin\"")));
    }
}
