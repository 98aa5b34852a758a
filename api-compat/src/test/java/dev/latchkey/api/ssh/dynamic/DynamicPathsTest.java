package dev.latchkey.api.ssh.dynamic;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertNoContent;
import static dev.latchkey.api.testing.HttpAssertions.assertNotFound;
import static dev.latchkey.testing.VaultErrors.UNSUPPORTED_OPERATION;
import static dev.latchkey.testing.VaultErrors.UNSUPPORTED_PATH;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * The dynamic-key paths over HTTP: status codes and bodies, a row or two per path. Their rules are
 * the engine's {@code DynamicRolesPathTest}, {@code DynamicCredsTest}, {@code KeysPathTest} and
 * {@code KnownHostsPathTest}; keys installed on a real sshd: {@link DynamicKeyLoginTest}.
 */
class DynamicPathsTest {
    private static String mount;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("dyn");
    }

    private static Response post(String path, Map<String, Object> body) {
        return DevServer.root().contentType("application/json").body(body).post("/v1/" + mount + "/" + path);
    }

    private static void adminKey(String name) {
        assertNoContent(post("keys/" + name, Map.of("key", SshKeyGenerator.generate("ed25519", 0).toPem())));
    }

    @Test
    void anAdminKeyIsWrittenButNeverReadOrListed() {
        adminKey("admin");
        assertError(DevServer.root().get("/v1/" + mount + "/keys/admin"), 405, UNSUPPORTED_OPERATION);
        assertError(DevServer.root().request("LIST", "/v1/" + mount + "/keys"), 404, UNSUPPORTED_PATH);
    }

    @Test
    void aDynamicRoleReadsBackWithJsonNumbersAndAList() {
        adminKey("admin");
        assertNoContent(post("roles/web", Map.of("key_type", "dynamic", "default_user", "app", "key", "admin",
                "admin_user", "ops", "cidr_list", "10.0.0.0/8")));
        Response r = DevServer.root().get("/v1/" + mount + "/roles/web");
        assertThat(r.asString(), r.statusCode(), is(200));
        for (String field : List.of("\"port\":22", "\"key_bits\":2048", "\"connect_timeout\":15",
                "\"command_timeout\":30", "\"host_key_fingerprints\":[]")) {
            assertThat(r.asString(), containsString(field));
        }
    }

    /** Brackets and colons travel in the path as they are; the entry answers like any other. */
    @Test
    void aKnownHostIsAddressedByItsHostAndPortInThePath() {
        String other = DevServer.enableSsh("known");
        String base = "/v1/" + other + "/known_hosts/";
        String line = SshKeyGenerator.generate("ed25519", 0).publicKey().toLine();
        assertNoContent(DevServer.root().contentType("application/json").body(Map.of("key", line)).post(base + "[::1]:22"));
        Response read = DevServer.root().get(base + "[::1]:22");
        assertThat(read.asString(), read.statusCode(), is(200));
        assertThat(read.jsonPath().getString("data.key"), is(line));
        Response list = DevServer.root().queryParam("list", "true").get("/v1/" + other + "/known_hosts");
        assertThat(list.jsonPath().getList("data.keys"), equalTo(List.of("[::1]:22")));
        assertNoContent(DevServer.root().delete(base + "[::1]:22"));
        assertNotFound(DevServer.root().get(base + "[::1]:22"));
    }

    @Test
    void tidyIsADeleteThatAnswersWithData() {
        String other = DevServer.enableSsh("tidy");
        assertNoContent(DevServer.root().contentType("application/json")
                .body(Map.of("key", SshKeyGenerator.generate("ed25519", 0).toPem())).post("/v1/" + other + "/keys/one"));
        DevServer.root().delete("/v1/" + other + "/tidy/dynamic-keys").then().statusCode(200)
                .body("data.message", equalTo("Removed 1 of 1 host keys."));
    }
}
