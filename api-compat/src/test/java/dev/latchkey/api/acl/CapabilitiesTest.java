package dev.latchkey.api.acl;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.latchkey.api.acl.AclFixtures.DENIED;
import static dev.latchkey.api.acl.AclFixtures.as;
import static dev.latchkey.api.acl.AclFixtures.policy;
import static dev.latchkey.api.acl.AclFixtures.rule;
import static dev.latchkey.api.acl.AclFixtures.token;
import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code sys/capabilities}, {@code -self} and {@code -accessor}, the built-in {@code default}
 * policy, and {@code sys/internal/ui/mounts}, as a token with a policy sees them.
 */
class CapabilitiesTest {
    private static String mount;
    private static String other;
    private static String token;
    private static String accessor;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("caps");
        other = DevServer.enableSsh("caps-hidden");
        Requests.otpRole(mount, "web");
        String name = policy("caps", rule(mount + "/creds/web", "update", "create")
                + rule(mount + "/roles/*", "read", "list") + rule(mount + "/roles/db", "deny"));
        Response created = json(DevServer.root(), "{\"policies\":[\"" + name + "\"]}").post("/v1/auth/token/create");
        token = created.path("auth.client_token");
        accessor = created.path("auth.accessor");
    }

    @Test
    void capabilitiesSelfListsWhatTheRuleGrantsSorted() {
        json(as(token), "{\"paths\":[\"" + mount + "/creds/web\",\"" + mount + "/roles/db\",\"" + mount
                + "/roles/web\",\"" + other + "/creds/web\",\"sys/capabilities-self\"]}")
                .post("/v1/sys/capabilities-self").then().statusCode(200)
                .body("data.'" + mount + "/creds/web'", contains("create", "update"))
                .body("data.'" + mount + "/roles/db'", contains("deny"))
                .body("data.'" + mount + "/roles/web'", contains("list", "read"))
                .body("data.'" + other + "/creds/web'", contains("deny"))
                .body("data.'sys/capabilities-self'", contains("update"))
                .body("data", not(hasKey("capabilities")));
        // one path, as Go's client sends it (singular, deprecated field): the answer repeats it
        json(as(token), "{\"path\":\"" + mount + "/creds/web\"}").post("/v1/sys/capabilities-self")
                .then().statusCode(200).body("data.capabilities", contains("create", "update"));
        json(DevServer.root(), "{\"paths\":\"" + mount + "/creds/web\"}").post("/v1/sys/capabilities-self")
                .then().statusCode(200).body("data.capabilities", contains("root"));
        json(as(token), "{}").post("/v1/sys/capabilities-self").then().statusCode(400)
                .body("errors", contains("paths must be supplied"));
    }

    @Test
    void capabilitiesOfAnotherTokenOrAccessorNeedTheirOwnGrant() {
        String body = "{\"token\":\"" + token + "\",\"paths\":[\"" + mount + "/creds/web\"]}";
        json(DevServer.root(), body).post("/v1/sys/capabilities").then().statusCode(200)
                .body("data.capabilities", contains("create", "update"));
        json(as(token), body).post("/v1/sys/capabilities").then().statusCode(403).body("errors", contains(DENIED));
        json(DevServer.root(), "{\"token\":\"hvs.AAAAAAAAAAAAAAAAAAAAAAAA\",\"paths\":[\"a\"]}")
                .post("/v1/sys/capabilities").then().statusCode(400).body("errors", contains("invalid token"));
        json(DevServer.root(), "{\"accessor\":\"" + accessor + "\",\"paths\":[\"" + mount + "/roles/x\"]}")
                .post("/v1/sys/capabilities-accessor").then().statusCode(200)
                .body("data.capabilities", contains("list", "read"));
        json(DevServer.root(), "{\"accessor\":\"nope\",\"paths\":[\"a\"]}").post("/v1/sys/capabilities-accessor")
                .then().statusCode(400).body("errors", contains("invalid accessor"));
        json(DevServer.root(), "{\"paths\":[\"a\"]}").post("/v1/sys/capabilities-accessor")
                .then().statusCode(400).body("errors", contains("missing accessor"));
    }

    /** The built-in default policy: Vault's text byte for byte, and what it lets a token do. */
    @Test
    void theDefaultPolicyIsVaultsOwn() {
        String text = DevServer.root().get("/v1/sys/policies/acl/default").then().statusCode(200)
                .extract().path("data.policy");
        org.junit.jupiter.api.Assertions.assertTrue(text.startsWith("\n# Allow tokens to look up their own properties\n"
                + "path \"auth/token/lookup-self\" {\n    capabilities = [\"read\"]\n}\n"), text);
        org.junit.jupiter.api.Assertions.assertTrue(text.endsWith("path \"identity/oidc/provider/+/authorize\" {\n"
                + "    capabilities = [\"read\", \"update\"]\n}\n"), text);
        String plain = token("default");
        as(plain).get("/v1/auth/token/lookup-self").then().statusCode(200);
        json(as(plain), "{}").post("/v1/auth/token/renew-self").then().statusCode(200);
        json(as(plain), "{\"paths\":[\"cubbyhole/x\",\"sys/leases/lookup\",\"identity/entity/id/x\"]}")
                .post("/v1/sys/capabilities-self").then().statusCode(200)
                .body("data.'cubbyhole/x'", contains("create", "delete", "list", "read", "update"))
                .body("data.'sys/leases/lookup'", contains("update"))
                .body("data.'identity/entity/id/x'", contains("deny"));
        json(as(plain), "{}").post("/v1/auth/token/revoke-self").then().statusCode(204);
        as(plain).get("/v1/auth/token/lookup-self").then().statusCode(403);
    }

    @Test
    void uiMountsShowWhatTheTokenMayReach() {
        Response r = as(token).get("/v1/sys/internal/ui/mounts");
        r.then().statusCode(200).body("data.secret", hasKey(mount + "/")).body("data.secret", not(hasKey(other + "/")))
                .body("data.secret.'" + mount + "/'.type", equalTo("ssh"))
                .body("data.secret.'" + mount + "/'.accessor", equalTo(DevServer.root().get("/v1/sys/mounts")
                        .path("data.'" + mount + "/'.accessor")))
                .body("data.auth", hasKey("token/"));
        as(token).get("/v1/sys/internal/ui/mounts/" + mount + "/creds/web").then().statusCode(200)
                .body("data.path", equalTo(mount + "/")).body("data.type", equalTo("ssh"));
        as(token).get("/v1/sys/internal/ui/mounts/" + other + "/creds").then().statusCode(403)
                .body("errors", contains("preflight capability check returned 403, please ensure client's policies "
                        + "grant access to path \"" + other + "/creds/\""));
        as(token).get("/v1/sys/internal/ui/mounts/no-such-mount").then().statusCode(403)
                .body("errors", contains("preflight capability check returned 403, please ensure client's policies "
                        + "grant access to path \"no-such-mount/\""));
        DevServer.anonymous().get("/v1/sys/internal/ui/mounts/" + mount).then().statusCode(403);
        // without a token only mounts tuned to be listed unauthenticated, in brief
        DevServer.anonymous().get("/v1/sys/internal/ui/mounts").then().statusCode(200)
                .body("data.secret", not(hasKey(mount + "/")));
        json(DevServer.root(), "{\"listing_visibility\":\"unauth\"}").post("/v1/sys/mounts/" + other + "/tune")
                .then().statusCode(204);
        DevServer.anonymous().get("/v1/sys/internal/ui/mounts").then().statusCode(200)
                .body("data.secret.'" + other + "/'.type", equalTo("ssh"))
                .body("data.secret.'" + other + "/'", not(hasKey("accessor")))
                .body("data.secret.'" + other + "/'.options", nullValue());
        as(token(Map.of(), "default")).get("/v1/sys/internal/ui/mounts").then().statusCode(200)
                .body("data.secret", not(hasKey(mount + "/")));
    }
}
