package dev.latchkey.api.ssh.dynamic;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.testing.SshKeygen;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Admin keys ({@code keys/:name}), {@code tidy/dynamic-keys} (Vault 1.13+) and dynamic roles (their
 * write checks and read), as Vault 1.12 has them, with Latchkey's host-key fields and the
 * {@code known_hosts/} endpoints. Installing keys on real hosts: {@code DynamicKeyLoginTest}.
 */
class DynamicRolesTest {
    @TempDir
    static Path dir;
    static String mount;
    static String rsaPem;
    static String ed25519OpenSsh;
    static String ecdsaPkcs8;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("dyn");
        rsaPem = SshKeygen.generate(dir, "rsa", "rsa", 2048, "-m", "PEM").privateKeyText();
        ed25519OpenSsh = SshKeygen.generate(dir, "ed25519", "ed25519", 0).privateKeyText();
        ecdsaPkcs8 = SshKeygen.generate(dir, "ecdsa", "ecdsa", 256, "-m", "PKCS8").privateKeyText();
    }

    private static Response post(String path, Map<String, Object> body) {
        return DevServer.root().contentType("application/json").body(body).post("/v1/" + mount + "/" + path);
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
        read.then().body("data.host_key_checking", equalTo("trust_on_first_use"))
                .body("data.host_key_fingerprints", equalTo(List.of()))
                .body("data.connect_timeout", equalTo(15))
                .body("data.command_timeout", equalTo(30));
        assertEquals(15, read.jsonPath().getMap("data").size(), "Vault 1.12's 11 fields and Latchkey's 4");
        DevServer.root().get("/v1/" + mount + "/roles?list=true").then().statusCode(200)
                .body("data.key_info.web.key_type", equalTo("dynamic"));
        post("roles/custom", role("install_script", "#!/bin/sh\nexit 0\n", "key_bits", 4096)).then().statusCode(204);
        DevServer.root().get("/v1/" + mount + "/roles/custom").then().statusCode(200)
                .body("data.install_script", equalTo("#!/bin/sh\nexit 0\n"))
                .body("data.key_bits", equalTo(4096));
    }

    /** Only loopback addresses are ever dialled by the tests; these fail before any connection. */
    @Test
    void credsOnADynamicRoleCheckTheRequestBeforeConnecting() {
        post("keys/admin", Map.of("key", rsaPem)).then().statusCode(204);
        post("roles/checked", role("allowed_users", "*")).then().statusCode(204);
        assertError(post("creds/checked", Map.of("ip", "192.168.1.1")), 400,
                "Error validating IP: IP does not belong to role");
        assertError(post("creds/checked", Map.of("ip", "10.1.2.3", "username", "a b")), 400,
                "username \"a b\" is not a valid account name: dynamic keys need letters, digits, '.', '_' or '-' "
                        + "(it becomes part of a command on the host)");
        post("roles/orphan", role("key", "temporary")).then().statusCode(400);
        post("keys/temporary", Map.of("key", rsaPem)).then().statusCode(204);
        post("roles/orphan", role("key", "temporary")).then().statusCode(204);
        DevServer.root().delete("/v1/" + mount + "/keys/temporary").then().statusCode(204);
        assertError(post("creds/orphan", Map.of("ip", "10.1.2.3")), 400, "key \"temporary\" not found");
    }

    @Test
    void hostKeyAndTimeoutFieldsAreValidated() {
        post("keys/admin", Map.of("key", rsaPem)).then().statusCode(204);
        String fp = "SHA256:" + "A".repeat(43);
        assertError(post("roles/h", role("host_key_checking", "maybe")), 400,
                "invalid host_key_checking \"maybe\": use trust_on_first_use, pinned or none");
        assertError(post("roles/h", role("host_key_checking", "pinned")), 400,
                "host_key_checking=pinned needs host_key_fingerprints");
        assertError(post("roles/h", role("host_key_checking", "none", "host_key_fingerprints", fp)), 400,
                "host_key_fingerprints are only used with host_key_checking=pinned, not none");
        assertError(post("roles/h", role("host_key_fingerprints", "MD5:aa:bb")), 400,
                "invalid host key fingerprint \"MD5:aa:bb\": expected SHA256:<base64> as ssh-keygen -l prints it");
        assertError(post("roles/h", role("connect_timeout", "11m")), 400, "connect_timeout must be between 1s and 10m");
        assertError(post("roles/h", role("command_timeout", 601)), 400, "command_timeout must be between 1s and 10m");
        post("roles/h", role("host_key_fingerprints", List.of(fp), "connect_timeout", "2s", "command_timeout", 90))
                .then().statusCode(204);
        DevServer.root().get("/v1/" + mount + "/roles/h").then().statusCode(200)
                .body("data.host_key_checking", equalTo("pinned"))
                .body("data.host_key_fingerprints", equalTo(List.of(fp)))
                .body("data.connect_timeout", equalTo(2))
                .body("data.command_timeout", equalTo(90));
        post("roles/h", role("host_key_checking", "none")).then().statusCode(204);
        DevServer.root().get("/v1/" + mount + "/roles/h").then().statusCode(200)
                .body("data.host_key_checking", equalTo("none"))
                .body("data.host_key_fingerprints", equalTo(List.of()));
    }

    @Test
    void knownHostsCanBeSeededReadListedAndForgotten() throws Exception {
        String other = DevServer.enableSsh("known");
        Path pub;
        try (var files = Files.list(dir)) {
            pub = files.filter(p -> p.toString().endsWith(".pub")).findFirst().orElseThrow();
        }
        String line = Files.readString(pub).strip();
        String base = "/v1/" + other + "/known_hosts/";
        DevServer.root().contentType("application/json").body(Map.of("key", line))
                .post(base + "127.0.0.1:2222").then().statusCode(204);
        DevServer.root().contentType("application/json").body(Map.of("key", line))
                .post(base + "[::1]:22").then().statusCode(204);
        DevServer.root().get(base + "127.0.0.1:2222").then().statusCode(200)
                .body("data.key", equalTo(line.split(" ")[0] + " " + line.split(" ")[1]))
                .body("data.fingerprint", startsWith("SHA256:"))
                .body("data.first_seen", endsWith("Z"));
        DevServer.root().queryParam("list", "true").get("/v1/" + other + "/known_hosts").then().statusCode(200)
                .body("data.keys", equalTo(List.of("127.0.0.1:2222", "[::1]:22")));
        DevServer.root().delete(base + "127.0.0.1:2222").then().statusCode(204);
        DevServer.root().get(base + "127.0.0.1:2222").then().statusCode(404);
        DevServer.root().delete(base + "127.0.0.1:2222").then().statusCode(204);
        assertError(DevServer.root().contentType("application/json").body(Map.of("key", line))
                .post(base + "localhost:22"), 400, "invalid host address \"localhost:22\": write it as <ip>:<port> "
                + "(10.0.0.5:22) or [<ipv6>]:<port> ([2001:db8::5]:22), the address in normal form");
        DevServer.root().contentType("application/json").body(Map.of("key", "ssh-ed25519 AAAA"))
                .post(base + "10.0.0.5:22").then().statusCode(400).body("errors[0]", startsWith("invalid key: "));
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
