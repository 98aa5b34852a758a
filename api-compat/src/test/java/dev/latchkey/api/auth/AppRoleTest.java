package dev.latchkey.api.auth;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The approle method against a running server: roles, role IDs, secret IDs and logins. */
class AppRoleTest {
    private static String mount;

    @BeforeAll
    static void enable() {
        mount = "ar-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"type\":\"approle\"}").post("/v1/sys/auth/" + mount).then().statusCode(204);
    }

    private static String path(String rest) {
        return "/v1/auth/" + mount + "/" + rest;
    }

    private static String roleId(String role) {
        return DevServer.root().get(path("role/" + role + "/role-id")).then().statusCode(200)
                .extract().path("data.role_id");
    }

    private static Response login(String roleId, String secretId) {
        return json(DevServer.anonymous(), "{\"role_id\":\"" + roleId + "\",\"secret_id\":\"" + secretId + "\"}")
                .post(path("login"));
    }

    @Test
    void aRoleLogsInWithItsRoleIdAndASecretId() {
        json(DevServer.root(), "{\"token_policies\":\"deploy\",\"token_ttl\":\"20m\",\"secret_id_num_uses\":2}")
                .post(path("role/Deployer")).then().statusCode(204);
        DevServer.root().get(path("role/deployer")).then().statusCode(200)
                .body("data.bind_secret_id", equalTo(true)).body("data.secret_id_num_uses", equalTo(2))
                .body("data.token_policies", contains("deploy")).body("data.token_ttl", equalTo(1200));
        DevServer.root().request("LIST", path("role")).then().statusCode(200).body("data.keys", hasItem("deployer"));
        String roleId = roleId("deployer");
        org.hamcrest.MatcherAssert.assertThat(roleId, matchesPattern("[0-9a-f-]{36}"));

        Response made = json(DevServer.root(), "{\"metadata\":\"{\\\"env\\\":\\\"prod\\\"}\",\"num_uses\":2}")
                .post(path("role/deployer/secret-id"));
        made.then().statusCode(200).body("data.secret_id_num_uses", equalTo(2)).body("data.secret_id_ttl", equalTo(0));
        String secretId = made.path("data.secret_id");
        String accessor = made.path("data.secret_id_accessor");

        Response in = login(roleId, secretId);
        in.then().statusCode(200).body("mount_type", equalTo("approle"))
                .body("auth.metadata.role_name", equalTo("deployer")).body("auth.metadata.env", equalTo("prod"))
                .body("auth.policies", contains("default", "deploy")).body("auth.lease_duration", equalTo(1200));
        String entity = in.path("auth.entity_id");
        DevServer.anonymous().header("X-Vault-Token", (String) in.path("auth.client_token"))
                .get("/v1/auth/token/lookup-self").then().statusCode(200).body("data.display_name", equalTo(mount));
        json(DevServer.root(), "{\"secret_id_accessor\":\"" + accessor + "\"}").post(path("role/deployer/secret-id-accessor/lookup"))
                .then().statusCode(200).body("data.secret_id_num_uses", equalTo(1)).body("data.metadata.env", equalTo("prod"));
        // the second use is the last: the secret ID is gone after it
        assertEquals(entity, login(roleId, secretId).then().statusCode(200).extract().path("auth.entity_id"));
        login(roleId, secretId).then().statusCode(400).body("errors", contains("invalid role or secret ID"));
        json(DevServer.root(), "{\"secret_id\":\"" + secretId + "\"}").post(path("role/deployer/secret-id/lookup"))
                .then().statusCode(204);
        DevServer.root().get(path("role/deployer/secret-id")).then().statusCode(405);
    }

    @Test
    void secretIdsAreRefusedAsVaultRefusesThem() {
        json(DevServer.root(), "{\"secret_id_ttl\":\"10m\",\"secret_id_num_uses\":3}").post(path("role/limited")).then().statusCode(204);
        json(DevServer.root(), "{\"num_uses\":5}").post(path("role/limited/secret-id")).then().statusCode(400)
                .body("errors", contains("num_uses cannot be higher than the role's secret_id_num_uses"));
        json(DevServer.root(), "{\"num_uses\":1,\"ttl\":\"1h\"}").post(path("role/limited/secret-id")).then().statusCode(400)
                .body("errors", contains("ttl cannot be longer than the role's secret_id_ttl"));
        json(DevServer.root(), "{\"num_uses\":-1}").post(path("role/limited/secret-id")).then().statusCode(400)
                .body("errors", contains("num_uses cannot be negative"));
        json(DevServer.root(), "{\"metadata\":\"not json, nor=pairs=\"}").post(path("role/limited/secret-id"))
                .then().statusCode(400);
        json(DevServer.root(), "{}").post(path("role/nope/secret-id")).then().statusCode(404)
                .body("errors", contains("1 error occurred:\n\t* role \"nope\" does not exist\n\n"));
        json(DevServer.root(), "{\"secret_id\":\"chosen-" + mount + "\",\"num_uses\":1}").post(path("role/limited/custom-secret-id"))
                .then().statusCode(200).body("data.secret_id", equalTo("chosen-" + mount));
        json(DevServer.root(), "{\"secret_id\":\"chosen-" + mount + "\",\"num_uses\":1}").post(path("role/limited/custom-secret-id"))
                .then().statusCode(400).body("errors", contains("failed to store secret_id: SecretID is already registered"));
        login("", "x").then().statusCode(400).body("errors", contains("missing role_id"));
        login("not-a-role-id", "x").then().statusCode(400).body("errors", contains("invalid role or secret ID"));
        login(roleId("limited"), "").then().statusCode(400).body("errors", contains("missing secret_id"));

        json(DevServer.root(), "{\"bind_secret_id\":false}").post(path("role/unbound")).then().statusCode(400)
                .body("errors", contains("at least one constraint should be enabled on the role"));
        json(DevServer.root(), "{\"bind_secret_id\":false,\"secret_id_bound_cidrs\":\"10.0.0.0/8\"}")
                .post(path("role/bycidr")).then().statusCode(204);
        login(roleId("bycidr"), "").then().statusCode(400)
                .body("errors", contains("source address \"127.0.0.1\" unauthorized by CIDR restrictions on the role: %!w(<nil>)"));
        json(DevServer.root(), "{\"bind_secret_id\":false,\"secret_id_bound_cidrs\":\"127.0.0.0/8\"}")
                .post(path("role/local")).then().statusCode(204);
        login(roleId("local"), "").then().statusCode(200);
        json(DevServer.root(), "{\"role_id\":\"" + roleId("local") + "\"}").post(path("role/limited/role-id"))
                .then().statusCode(400).body("errors", contains("role_id already in use"));
        json(DevServer.root(), "{\"role_id\":\"my-own-" + mount + "\"}").post(path("role/limited/role-id")).then().statusCode(204);
        assertEquals("my-own-" + mount, roleId("limited"));
        json(DevServer.root(), "{\"token_type\":\"default-service\"}").post(path("role/limited")).then().statusCode(200)
                .body("warnings", contains("default-service has no useful meaning; adjusting to service"));
    }

    @Test
    void fiveWrongSecretIdsLockTheRoleId() {
        json(DevServer.root(), "{}").post(path("role/locked")).then().statusCode(204);
        String secret = json(DevServer.root(), "{}").post(path("role/locked/secret-id")).then().statusCode(200)
                .extract().path("data.secret_id");
        String roleId = roleId("locked");
        for (int i = 0; i < 5; i++) {
            login(roleId, "wrong-" + i).then().statusCode(400);
        }
        login(roleId, secret).then().statusCode(403).body("errors", contains("permission denied"));
    }

    @Test
    void destroyingSecretIdsAndRoles() {
        json(DevServer.root(), "{}").post(path("role/gone")).then().statusCode(204);
        Response made = json(DevServer.root(), "{}").post(path("role/gone/secret-id"));
        String secret = made.path("data.secret_id");
        String accessor = made.path("data.secret_id_accessor");
        DevServer.root().request("LIST", path("role/gone/secret-id")).then().statusCode(200).body("data.keys", contains(accessor));
        json(DevServer.root(), "{\"secret_id_accessor\":\"" + accessor + "\"}").post(path("role/gone/secret-id-accessor/destroy"))
                .then().statusCode(204);
        login(roleId("gone"), secret).then().statusCode(400);
        json(DevServer.root(), "{\"secret_id_accessor\":\"" + accessor + "\"}").post(path("role/gone/secret-id-accessor/lookup"))
                .then().statusCode(404);
        String roleId = roleId("gone");
        DevServer.root().delete(path("role/gone")).then().statusCode(204);
        DevServer.root().get(path("role/gone")).then().statusCode(404);
        login(roleId, secret).then().statusCode(400).body("errors", contains("invalid role or secret ID"));
        json(DevServer.root(), "{}").post(path("tidy/secret-id")).then().statusCode(202);
    }
}
