package dev.latchkey.api.auth;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.JsonText;
import dev.latchkey.api.testing.Requests;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@code sys/auth} and the userpass method against a running server: users, logins, entities, lockout. */
class UserpassTest {
    private static final String DENIED = "1 error occurred:\n\t* permission denied\n\n";
    private static String mount;
    private static String accessor;

    @BeforeAll
    static void enable() {
        mount = "up-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"type\":\"userpass\",\"description\":\"people\"}").post("/v1/sys/auth/" + mount)
                .then().statusCode(204);
        accessor = DevServer.root().get("/v1/sys/auth").then().statusCode(200)
                .body("data.'" + mount + "/'.type", equalTo("userpass"))
                .body("data.'" + mount + "/'.description", equalTo("people"))
                .body("data.'" + mount + "/'.config.token_type", equalTo("default-service"))
                .body("'" + mount + "/'.type", equalTo("userpass"))
                .body("data.'token/'.type", equalTo("token"))
                .extract().path("data.'" + mount + "/'.accessor");
    }

    private static RequestSpecification as(String token) {
        return DevServer.anonymous().header("X-Vault-Token", token);
    }

    private static void user(String name, String body) {
        json(DevServer.root(), body).post("/v1/auth/" + mount + "/users/" + name).then().statusCode(204);
    }

    private static Response login(String name, String password) {
        return json(DevServer.anonymous(), "{\"password\":" + JsonText.quote(password) + "}")
                .put("/v1/auth/" + mount + "/login/" + name);
    }

    @Test
    void authMountsAreListedReadAndRefusedAsVaultDoes() {
        assertEquals(accessor, DevServer.root().get("/v1/sys/auth/" + mount).then().statusCode(200)
                .body("data.type", equalTo("userpass")).extract().path("data.accessor"));
        org.hamcrest.MatcherAssert.assertThat(accessor, matchesPattern("auth_userpass_[0-9a-f]{8}"));
        DevServer.root().get("/v1/sys/auth").then().body("data.'token/'.accessor", matchesPattern("auth_token_[0-9a-f]{8}"));
        json(DevServer.root(), "{}").post("/v1/sys/auth/x-" + mount).then().statusCode(400)
                .body("errors", contains("backend type must be specified as a string"));
        json(DevServer.root(), "{\"type\":\"token\"}").post("/v1/sys/auth/t-" + mount).then().statusCode(400)
                .body("errors", contains("token credential backend cannot be instantiated"));
        json(DevServer.root(), "{\"type\":\"kerberos\"}").post("/v1/sys/auth/k-" + mount).then().statusCode(400)
                .body("errors", contains("plugin not found in the catalog: kerberos"));
        json(DevServer.root(), "{\"type\":\"userpass\"}").post("/v1/sys/auth/" + mount).then().statusCode(400)
                .body("errors", contains("path is already in use at " + mount + "/"));
        DevServer.root().get("/v1/sys/auth/nothing-here").then().statusCode(400)
                .body("errors", contains("No auth engine at nothing-here/"));
        DevServer.root().delete("/v1/sys/auth/token").then().statusCode(400)
                .body("errors", contains("token credential backend cannot be disabled"));
        // the body `vault auth enable -path=… userpass` sends (Go's EnableAuthOptions, empty strings and all)
        String cli = "cli-" + mount;
        json(DevServer.root(), "{\"type\":\"userpass\",\"description\":\"\",\"config\":{\"default_lease_ttl\":\"\","
                + "\"max_lease_ttl\":\"\",\"listing_visibility\":\"\",\"token_type\":\"\",\"plugin_version\":\"\"},"
                + "\"local\":false,\"plugin_name\":\"\",\"seal_wrap\":false,\"external_entropy_access\":false,"
                + "\"options\":null}").post("/v1/sys/auth/" + cli).then().statusCode(204);
        DevServer.root().delete("/v1/sys/auth/" + cli).then().statusCode(204);
        // tuning: both paths, the one the CLI uses and the one hvac uses
        json(DevServer.root(), "{\"default_lease_ttl\":\"1h\"}").post("/v1/sys/mounts/auth/" + mount + "/tune")
                .then().statusCode(204);
        DevServer.root().get("/v1/sys/auth/" + mount + "/tune").then().statusCode(200)
                .body("data.default_lease_ttl", equalTo(3600)).body("data.token_type", equalTo("default-service"));
        json(DevServer.root(), "{\"default_lease_ttl\":\"768h\"}").post("/v1/sys/auth/" + mount + "/tune").then().statusCode(204);
        json(DevServer.root(), "{\"token_type\":\"service\"}").post("/v1/sys/mounts/sys/tune").then().statusCode(400)
                .body("errors", contains("'token_type' can only be modified on auth mounts"));
        // the secrets list does not show auth mounts
        DevServer.root().get("/v1/sys/mounts").then().statusCode(200).body("data", not(org.hamcrest.Matchers.hasKey("auth/" + mount + "/")));
    }

    @Test
    void usersAreWrittenReadAndNeverShowTheirPassword() {
        user("Bob", "{\"password\":\"b0b-secret\",\"token_policies\":\"dev, ops\",\"token_ttl\":\"1h\"}");
        DevServer.root().get("/v1/auth/" + mount + "/users/bob").then().statusCode(200)
                .body("data.token_policies", contains("dev", "ops"))
                .body("data.token_ttl", equalTo(3600))
                .body("data.token_type", equalTo("default"))
                .body("data", not(org.hamcrest.Matchers.hasKey("password")))
                .body("data", not(org.hamcrest.Matchers.hasKey("password_hash")));
        DevServer.root().request("LIST", "/v1/auth/" + mount + "/users").then().statusCode(200).body("data.keys", hasItem("bob"));
        json(DevServer.root(), "{}").post("/v1/auth/" + mount + "/users/nopass").then().statusCode(400)
                .body("errors", contains("missing password"));
        json(DevServer.root(), "{\"password\":\"x\",\"token_ttl\":\"2h\",\"token_max_ttl\":\"1h\"}")
                .post("/v1/auth/" + mount + "/users/ttls").then().statusCode(400)
                .body("errors", contains("'token_ttl' cannot be greater than 'token_max_ttl'"));
        json(DevServer.root(), "{\"password\":\"x\",\"token_type\":\"default-service\"}")
                .post("/v1/auth/" + mount + "/users/typed").then().statusCode(400)
                .body("errors", contains("invalid 'token_type' value \"default-service\""));
        json(DevServer.root(), "{\"password\":\"n3w\"}").post("/v1/auth/" + mount + "/users/BOB/password").then().statusCode(204);
        login("bob", "b0b-secret").then().statusCode(400).body("errors", contains("invalid username or password"));
        login("bob", "n3w").then().statusCode(200);
        json(DevServer.root(), "{\"password\":\"x\"}").post("/v1/auth/" + mount + "/users/ghost/password").then().statusCode(400);
        DevServer.root().delete("/v1/auth/" + mount + "/users/bob").then().statusCode(204);
        DevServer.root().get("/v1/auth/" + mount + "/users/bob").then().statusCode(404);
    }

    @Test
    void aLoginMakesAnEntityAndAnOrphanTokenForIt() {
        user("alice", "{\"password\":\"w0nderland\",\"token_policies\":[\"Dev\"]}");
        Response first = login("Alice", "w0nderland");
        first.then().statusCode(200).body("data", nullValue()).body("mount_type", equalTo("userpass"))
                .body("auth.metadata.username", equalTo("alice"))
                .body("auth.policies", contains("default", "dev"))
                .body("auth.token_policies", contains("default", "dev"))
                .body("auth.orphan", equalTo(true)).body("auth.renewable", equalTo(true))
                .body("auth.token_type", equalTo("service")).body("auth.lease_duration", equalTo(2764800))
                .body("auth.mfa_requirement", nullValue());
        String entity = first.path("auth.entity_id");
        String token = first.path("auth.client_token");
        as(token).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.path", equalTo("auth/" + mount + "/login/Alice"))
                .body("data.display_name", equalTo(mount + "-alice"))
                .body("data.meta.username", equalTo("alice"))
                .body("data.entity_id", equalTo(entity));
        assertEquals(entity, login("alice", "w0nderland").then().statusCode(200).extract().path("auth.entity_id"));

        DevServer.root().get("/v1/identity/entity/id/" + entity).then().statusCode(200)
                .body("data.name", matchesPattern("entity_[0-9a-f]{8}"))
                .body("data.aliases[0].name", equalTo("alice"))
                .body("data.aliases[0].mount_accessor", equalTo(accessor))
                .body("data.aliases[0].mount_type", equalTo("userpass"))
                .body("data.aliases[0].mount_path", equalTo("auth/" + mount + "/"));
        json(DevServer.root(), "{\"alias_name\":\"ALICE\",\"alias_mount_accessor\":\"" + accessor + "\"}")
                .post("/v1/identity/lookup/entity").then().statusCode(200).body("data.id", equalTo(entity));

        login("nobody", "x").then().statusCode(400).body("errors", contains("invalid username or password"));
        login("alice", "").then().statusCode(400).body("errors", contains("missing password"));
    }

    /** Entity and group policies reach every token of the entity at once, and templates draw on its alias. */
    @Test
    void identityPoliciesAndTemplatesApplyToExistingTokens() {
        String ssh = DevServer.enableSsh("up-ssh");
        Requests.otpRole(ssh, "carol");
        Requests.otpRole(ssh, "dave");
        user("carol", "{\"password\":\"c4rol\"}");
        String policy = "own-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"policy\":" + JsonText.quote("path \"" + ssh + "/creds/{{identity.entity.aliases."
                + accessor + ".name}}\" { capabilities = [\"update\"] }") + "}").put("/v1/sys/policies/acl/" + policy)
                .then().statusCode(204);
        Response in = login("carol", "c4rol");
        String token = in.path("auth.client_token");
        String entity = in.path("auth.entity_id");
        json(as(token), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + ssh + "/creds/carol").then().statusCode(403)
                .body("errors", contains(DENIED));

        String group = json(DevServer.root(), "{\"name\":\"people-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"policies\":[\"" + policy + "\"],\"member_entity_ids\":[\"" + entity + "\"]}")
                .post("/v1/identity/group").then().statusCode(200).extract().path("data.id");
        json(as(token), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + ssh + "/creds/carol").then().statusCode(200);
        json(as(token), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + ssh + "/creds/dave").then().statusCode(403);
        login("carol", "c4rol").then().statusCode(200).body("auth.identity_policies", contains(policy))
                .body("auth.policies", hasItem(policy));

        // disabling the entity stops its tokens at once
        json(DevServer.root(), "{\"disabled\":true}").post("/v1/identity/entity/id/" + entity).then().statusCode(204);
        as(token).get("/v1/auth/token/lookup-self").then().statusCode(403).body("errors", contains("permission denied"));
        login("carol", "c4rol").then().statusCode(403).body("errors", contains("permission denied"));
        json(DevServer.root(), "{\"disabled\":false}").post("/v1/identity/entity/id/" + entity).then().statusCode(204);
        as(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        DevServer.root().delete("/v1/identity/group/id/" + group).then().statusCode(204);
        json(as(token), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + ssh + "/creds/carol").then().statusCode(403);
    }

    @Test
    void fiveWrongPasswordsLockAUserAndASuccessBeforeThatClearsTheCount() {
        user("erin", "{\"password\":\"right\"}");
        for (int i = 0; i < 4; i++) {
            login("erin", "wrong").then().statusCode(400);
        }
        login("erin", "right").then().statusCode(200);
        for (int i = 0; i < 4; i++) {
            login("erin", "wrong").then().statusCode(400);
        }
        login("erin", "right").then().statusCode(200); // the success above cleared the count: still open
        for (int i = 0; i < 5; i++) {
            login("erin", "wrong").then().statusCode(400).body("errors", contains("invalid username or password"));
        }
        login("erin", "right").then().statusCode(403).body("errors", contains("permission denied"));
        DevServer.root().queryParam("mount_accessor", accessor).get("/v1/sys/locked-users").then().statusCode(200)
                .body("data.total", equalTo(1))
                .body("data.by_namespace[0].mount_accessors[0].mount_accessor", equalTo(accessor))
                .body("data.by_namespace[0].mount_accessors[0].alias_identifiers", contains("erin"));
        // an operator lets erin in again before the 15 minutes are over
        json(DevServer.root(), "{}").post("/v1/sys/locked-users/" + accessor + "/unlock/erin").then().statusCode(204);
        login("erin", "right").then().statusCode(200);
        DevServer.root().queryParam("mount_accessor", accessor).get("/v1/sys/locked-users").then().statusCode(200)
                .body("data.total", equalTo(0));
        // unknown users never lock
        for (int i = 0; i < 7; i++) {
            login("frank-unknown", "wrong").then().statusCode(400);
        }
    }

    /** A login's token renews only while its user exists with the same policies, as in Vault. */
    @Test
    void renewalAsksTheMethod() {
        user("hank", "{\"password\":\"h\",\"token_policies\":\"dev\",\"token_max_ttl\":\"2h\"}");
        String token = login("hank", "h").then().statusCode(200).extract().path("auth.client_token");
        json(as(token), "{\"increment\":\"10h\"}").post("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.lease_duration", org.hamcrest.Matchers.lessThanOrEqualTo(7200));
        json(DevServer.root(), "{\"token_policies\":\"dev,ops\"}").post("/v1/auth/" + mount + "/users/hank").then().statusCode(204);
        json(as(token), "{}").post("/v1/auth/token/renew-self").then().statusCode(400)
                .body("errors", contains("policies have changed, not renewing"));
        DevServer.root().delete("/v1/auth/" + mount + "/users/hank").then().statusCode(204);
        json(as(token), "{}").post("/v1/auth/token/renew-self").then().statusCode(400)
                .body("errors", contains("user \"hank\" no longer exists; not renewing"));
    }

    @Test
    void disablingTheMethodRevokesItsTokens() {
        String other = "up2-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"type\":\"userpass\"}").post("/v1/sys/auth/" + other).then().statusCode(204);
        json(DevServer.root(), "{\"password\":\"g\"}").post("/v1/auth/" + other + "/users/gina").then().statusCode(204);
        String token = json(DevServer.anonymous(), "{\"password\":\"g\"}").put("/v1/auth/" + other + "/login/gina")
                .then().statusCode(200).extract().path("auth.client_token");
        as(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        DevServer.root().delete("/v1/sys/auth/" + other).then().statusCode(204);
        as(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
        json(DevServer.anonymous(), "{\"password\":\"g\"}").put("/v1/auth/" + other + "/login/gina").then().statusCode(403);
        assertNotEquals(null, token);
    }
}
