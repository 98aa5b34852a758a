package dev.latchkey.api.acl;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.latchkey.api.acl.AclFixtures.as;
import static dev.latchkey.api.acl.AclFixtures.policy;
import static dev.latchkey.api.acl.AclFixtures.rule;
import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** Tokens by accessor, {@code revoke-orphan} and {@code tidy}. */
class AccessorsTest {
    private static Response create(String as, String body) {
        Response r = json(as(as), body).post("/v1/auth/token/create");
        r.then().statusCode(200);
        return r;
    }

    @Test
    void lookUpRenewAndRevokeByAccessor() {
        Response made = create(DevServer.rootToken(), "{\"policies\":[\"default\"],\"ttl\":\"1h\",\"display_name\":\"acc\"}");
        String token = made.path("auth.client_token");
        String accessor = made.path("auth.accessor");
        json(DevServer.root(), "{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/lookup-accessor")
                .then().statusCode(200).body("data.id", equalTo("")).body("data.accessor", equalTo(accessor))
                .body("data.display_name", equalTo("token-acc"));
        json(DevServer.root(), "{\"accessor\":\"" + accessor + "\",\"increment\":\"2h\"}").post("/v1/auth/token/renew-accessor")
                .then().statusCode(200).body("auth.client_token", equalTo("")).body("auth.accessor", equalTo(accessor));
        DevServer.root().request("LIST", "/v1/auth/token/accessors").then().statusCode(200)
                .body("data.keys", hasItem(accessor));
        json(DevServer.root(), "{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/revoke-accessor")
                .then().statusCode(204);
        as(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
        json(DevServer.root(), "{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/revoke-accessor")
                .then().statusCode(200).body("data", nullValue())
                .body("warnings", contains("No token found with this accessor"));
        json(DevServer.root(), "{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/lookup-accessor")
                .then().statusCode(400).body("errors", contains("invalid accessor"));
        json(DevServer.root(), "{}").post("/v1/auth/token/lookup-accessor")
                .then().statusCode(400).body("errors", contains("missing accessor"));
        DevServer.root().request("LIST", "/v1/auth/token/accessors").then().statusCode(200)
                .body("data.keys", not(hasItem(accessor)));
    }

    @Test
    void revokeOrphanLeavesTheChildrenAsOrphans() {
        String parent = create(DevServer.rootToken(), "{\"policies\":[\"default\"]}").path("auth.client_token");
        // the parent may make children of its own policies
        String maker = policy("maker", rule("auth/token/create", "update"));
        String parentWithCreate = create(DevServer.rootToken(), "{\"policies\":[\"" + maker + "\"]}").path("auth.client_token");
        String child = create(parentWithCreate, "{}").path("auth.client_token");
        as(child).get("/v1/auth/token/lookup-self").then().statusCode(200).body("data.orphan", equalTo(false));

        // without sudo on the path the handler refuses, as Vault's does
        String revoker = create(DevServer.rootToken(), "{\"policies\":[\"" + policy("revoker",
                rule("auth/token/revoke-orphan", "update")) + "\"]}").path("auth.client_token");
        json(as(revoker), "{\"token\":\"" + parentWithCreate + "\"}").post("/v1/auth/token/revoke-orphan")
                .then().statusCode(400).body("errors", contains("root or sudo privileges required to revoke and orphan"));

        json(DevServer.root(), "{\"token\":\"" + parentWithCreate + "\"}").post("/v1/auth/token/revoke-orphan")
                .then().statusCode(204);
        as(parentWithCreate).get("/v1/auth/token/lookup-self").then().statusCode(403);
        as(child).get("/v1/auth/token/lookup-self").then().statusCode(200).body("data.orphan", equalTo(true));
        as(parent).get("/v1/auth/token/lookup-self").then().statusCode(200);
    }

    @Test
    void tidyStartsAndAnswers202() {
        Response r = json(DevServer.root(), "{}").post("/v1/auth/token/tidy");
        r.then().statusCode(202).body("warnings", contains("Tidy operation successfully started. Any information "
                + "from the operation will be printed to Vault's server logs."));
        List<String> keys = DevServer.root().request("LIST", "/v1/auth/token/accessors").then().statusCode(200)
                .extract().path("data.keys");
        org.junit.jupiter.api.Assertions.assertFalse(keys.isEmpty());
    }
}
