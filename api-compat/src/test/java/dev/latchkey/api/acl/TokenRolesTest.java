package dev.latchkey.api.acl;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.UUID;

import static dev.latchkey.api.acl.AclFixtures.DENIED;
import static dev.latchkey.api.acl.AclFixtures.as;
import static dev.latchkey.api.acl.AclFixtures.policy;
import static dev.latchkey.api.acl.AclFixtures.rule;
import static dev.latchkey.api.acl.AclFixtures.token;
import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code auth/token/roles} and {@code auth/token/create/<role>}. */
class TokenRolesTest {
    private static String signer;
    private static String reader;

    @BeforeAll
    static void policies() {
        signer = policy("signer", rule("ssh/sign/dev", "update"));
        reader = policy("reader", rule("ssh/public_key", "read"));
    }

    private static String role(String body) {
        String name = "role-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), body).post("/v1/auth/token/roles/" + name).then().statusCode(204);
        return name;
    }

    @Test
    void aRoleReadsBackInVaultsFields() {
        String name = role("{\"allowed_policies\":\"" + signer + ", " + reader + "\",\"orphan\":true,"
                + "\"token_period\":\"2h\",\"token_explicit_max_ttl\":\"24h\",\"path_suffix\":\"v1\","
                + "\"disallowed_policies_glob\":[\"admin-*\"]}");
        DevServer.root().get("/v1/auth/token/roles/" + name).then().statusCode(200)
                .body("data.name", equalTo(name))
                .body("data.allowed_policies", contains(reader, signer))
                .body("data.disallowed_policies_glob", contains("admin-*"))
                .body("data.orphan", equalTo(true))
                .body("data.renewable", equalTo(true))
                .body("data.path_suffix", equalTo("v1"))
                .body("data.token_period", equalTo(7200)).body("data.period", equalTo(7200))
                .body("data.token_explicit_max_ttl", equalTo(86400)).body("data.explicit_max_ttl", equalTo(86400))
                .body("data.token_type", equalTo("default-service"))
                .body("data.token_no_default_policy", equalTo(false));
        DevServer.root().request("LIST", "/v1/auth/token/roles").then().statusCode(200).body("data.keys", hasItem(name));
        // a write changes only what it names
        json(DevServer.root(), "{\"renewable\":false}").post("/v1/auth/token/roles/" + name).then().statusCode(204);
        DevServer.root().get("/v1/auth/token/roles/" + name).then().body("data.renewable", equalTo(false))
                .body("data.orphan", equalTo(true));
        DevServer.root().delete("/v1/auth/token/roles/" + name).then().statusCode(204);
        DevServer.root().get("/v1/auth/token/roles/" + name).then().statusCode(404);
        DevServer.root().get("/v1/auth/token/roles/nope").then().statusCode(404);
    }

    @Test
    void tokensOfARoleFollowIt() {
        String name = role("{\"allowed_policies\":[\"" + signer + "\",\"" + reader + "\"],\"orphan\":true,"
                + "\"token_period\":\"2h\",\"path_suffix\":\"v1\"}");
        // a parent without those policies may still mint them through the role: the role decides
        String minter = token(policy("minter", rule("auth/token/create/" + name, "update")));
        Response made = json(as(minter), "{}").post("/v1/auth/token/create/" + name);
        made.then().statusCode(200).body("auth.orphan", equalTo(true)).body("auth.lease_duration", equalTo(7200));
        String child = made.path("auth.client_token");
        as(child).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.role", equalTo(name))
                .body("data.path", equalTo("auth/token/create/" + name + "/v1"))
                .body("data.period", equalTo(7200))
                .body("data.policies", contains("default", reader, signer));
        json(as(minter), "{\"policies\":[\"" + signer + "\"]}").post("/v1/auth/token/create/" + name)
                .then().statusCode(200).body("auth.policies", contains("default", signer));
        json(as(minter), "{\"policies\":[\"ops\"]}").post("/v1/auth/token/create/" + name).then().statusCode(400)
                .body("errors", contains("token policies ([\"default\" \"ops\"]) must be subset of the role's allowed "
                        + "policies ([\"default\" \"" + reader + "\" \"" + signer + "\"]) or glob policies ([])"));
        // the minter's grant is for that role only
        json(as(minter), "{}").post("/v1/auth/token/create").then().statusCode(403).body("errors", contains(DENIED));
        json(as(minter), "{}").post("/v1/auth/token/create/unknown-role").then().statusCode(403);
        json(DevServer.root(), "{}").post("/v1/auth/token/create/unknown-role").then().statusCode(400)
                .body("errors", contains("unknown role unknown-role"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a disallowed policy            | {"disallowed_policies":["admin"]}                 | {"policies":["admin"]}  | token policy "admin" is disallowed by this role
            a disallowed glob              | {"disallowed_policies_glob":["adm*"]}             | {"policies":["admin"]}  | token policy "admin" is disallowed by this role
            an allowed glob                | {"allowed_policies_glob":["team-*"]}              | {"policies":["team-a"]} |
            not matching the allowed glob  | {"allowed_policies_glob":["team-*"]}              | {"policies":["ops"]}    | token policies (["default" "ops"]) must be subset of the role's allowed policies (["default"]) or glob policies (["team-*"])
            """)
    void policyListsOfARole(String why, String roleBody, String createBody, String error) {
        String name = role(roleBody);
        Response r = json(DevServer.root(), createBody).post("/v1/auth/token/create/" + name);
        if (error == null) {
            assertEquals(200, r.statusCode(), r.asString());
        } else {
            r.then().statusCode(400).body("errors", contains(error));
        }
    }

    /** Binding tokens to addresses is refused rather than ignored: ignored, it would bind nothing. */
    @Test
    void boundCidrsAreRefusedNotIgnored() {
        String name = "bound-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"token_bound_cidrs\":[\"10.0.0.0/8\"]}").post("/v1/auth/token/roles/" + name)
                .then().statusCode(400)
                .body("errors", contains("token_bound_cidrs is not supported: tokens cannot be bound to addresses yet"));
        DevServer.root().get("/v1/auth/token/roles/" + name).then().statusCode(404);
        json(DevServer.root(), "{\"token_bound_cidrs\":[]}").post("/v1/auth/token/roles/" + name).then().statusCode(204);
    }

    /** A role that does not exist yet is created with create; changing it needs update. */
    @Test
    void writingARoleIsCreateThenUpdate() {
        String token = token(policy("role-creator", rule("auth/token/roles/*", "create", "read")));
        String name = "made-" + UUID.randomUUID().toString().substring(0, 8);
        json(as(token), "{\"orphan\":false}").post("/v1/auth/token/roles/" + name).then().statusCode(204);
        json(as(token), "{\"orphan\":true}").post("/v1/auth/token/roles/" + name).then().statusCode(403)
                .body("errors", contains(DENIED));
        as(token).get("/v1/auth/token/roles/" + name).then().statusCode(200).body("data.orphan", equalTo(false))
                .body("data.token_num_uses", nullValue());
    }
}
