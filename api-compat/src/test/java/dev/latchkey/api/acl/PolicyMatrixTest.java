package dev.latchkey.api.acl;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static dev.latchkey.api.acl.AclFixtures.DENIED;
import static dev.latchkey.api.acl.AclFixtures.as;
import static dev.latchkey.api.acl.AclFixtures.policy;
import static dev.latchkey.api.acl.AclFixtures.rule;
import static dev.latchkey.api.acl.AclFixtures.token;
import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Vault's ACL against a running server: each capability lets its token do exactly its operation
 * and nothing else; how overlapping rules are chosen; parameter constraints; templated paths;
 * sudo; and that a refused {@code creds} leaves nothing behind.
 */
class PolicyMatrixTest {
    private static String mount;

    @BeforeAll
    static void mount() {
        mount = DevServer.enableSsh("matrix");
        Requests.otpRole(mount, "web");
        Requests.otpRole(mount, "db");
        json(DevServer.root(), "{\"roles\":\"web\"}").post("/v1/" + mount + "/config/zeroaddress").then().statusCode(204);
        json(DevServer.root(), "{}").post("/v1/auth/token/roles/matrix-existing").then().statusCode(204);
    }

    /** The operations of the capability matrix, each a request that succeeds when it is allowed. */
    enum Op {
        READ(as -> as.get("/v1/" + mount + "/roles/web"), 200),
        LIST(as -> as.request("LIST", "/v1/" + mount + "/roles"), 200),
        UPDATE(as -> json(as, "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web"), 200),
        DELETE(as -> as.delete("/v1/" + mount + "/roles/" + scratchRole()), 204),
        /** A token role that does not exist yet: the path's existence check makes the write a create. */
        CREATE(as -> json(as, "{}").post("/v1/auth/token/roles/matrix-" + UUID.randomUUID().toString().substring(0, 8)), 204),
        /** A token role that exists: the same write is an update. */
        UPDATE_EXISTING(as -> json(as, "{\"renewable\":true}").post("/v1/auth/token/roles/matrix-existing"), 204);

        final Function<RequestSpecification, Response> request;
        final int success;

        Op(Function<RequestSpecification, Response> request, int success) {
            this.request = request;
            this.success = success;
        }
    }

    private static String scratchRole() {
        String name = "scratch-" + UUID.randomUUID().toString().substring(0, 8);
        Requests.otpRole(mount, name);
        return name;
    }

    @ParameterizedTest(name = "[{index}] a token granted only {0} may: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            read   | READ
            list   | LIST
            update | UPDATE UPDATE_EXISTING
            delete | DELETE
            create | CREATE
            """)
    void eachCapabilityAllowsItsOperationAndNoOther(String capability, String allowed) {
        String name = policy("only-" + capability, rule(mount + "/*", capability) + rule("auth/token/roles/*", capability));
        String token = token(name);
        List<String> may = List.of(allowed.split(" "));
        for (Op op : Op.values()) {
            Response r = op.request.apply(as(token));
            if (may.contains(op.name())) {
                assertEquals(op.success, r.statusCode(), op + " with " + capability + ": " + r.asString());
            } else {
                r.then().statusCode(403).body("errors", contains(DENIED));
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}: GET {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            the longest prefix wins over a shorter one          | roles/web         | 403 | M/*=read            ; M/roles/*=deny
            ... and the shorter still rules elsewhere           | config/zeroaddress | 200 | M/*=read           ; M/roles/*=deny
            an exact rule wins over any glob                    | roles/web         | 200 | M/roles/*=deny      ; M/roles/web=read
            a later first wildcard wins: the prefix rule        | roles/web         | 403 | M/+/web=read        ; M/ro*=deny
            at the same first wildcard, not a prefix wins       | roles/web         | 200 | M/+/web=read        ; M/*=deny
            + matches one segment only                          | roles/web         | 403 | M/+=read
            + matches any one segment                           | roles/db          | 200 | M/+/db=read
            no rule, no access                                  | roles/web         | 403 | M/config/*=read
            """)
    void overlappingRulesAreChosenAsVaultChoosesThem(String why, String path, int status, String rules) {
        StringBuilder text = new StringBuilder();
        for (String r : rules.split(";")) {
            String[] kv = r.strip().split("=");
            text.append(rule(kv[0].replace("M/", mount + "/"), kv[1]));
        }
        Response r = as(token(policy("overlap", text.toString()))).get("/v1/" + mount + "/" + path);
        assertEquals(status, r.statusCode(), why + ": " + r.asString());
    }

    @Test
    void denyOnTheSamePatternWinsAcrossPolicies() {
        String allow = policy("allow", rule(mount + "/creds/+", "update"));
        String deny = policy("deny", rule(mount + "/creds/+", "deny"));
        json(as(token(allow)), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web").then().statusCode(200);
        json(as(token(allow, deny)), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web").then()
                .statusCode(403).body("errors", contains(DENIED));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            an allowed value                 | allowed_parameters = { "ip" = ["10.0.0.5"] }         | {"ip":"10.0.0.5"}                      | 200
            a value not allowed              | allowed_parameters = { "ip" = ["10.0.0.5"] }         | {"ip":"10.0.0.6"}                      | 403
            a value by glob                  | allowed_parameters = { "ip" = ["10.0.0.*"] }         | {"ip":"10.0.0.9"}                      | 200
            a parameter not allowed          | allowed_parameters = { "ip" = [] }                   | {"ip":"10.0.0.5","username":"ubuntu"}  | 403
            a denied parameter               | denied_parameters = { "username" = [] }              | {"ip":"10.0.0.5","username":"ubuntu"}  | 403
            a denied parameter, absent       | denied_parameters = { "username" = [] }              | {"ip":"10.0.0.5"}                      | 200
            a required parameter, missing    | required_parameters = ["username"]                   | {"ip":"10.0.0.5"}                      | 403
            a required parameter, present    | required_parameters = ["username"]                   | {"ip":"10.0.0.5","username":"ubuntu"}  | 200
            """)
    void parameterConstraintsDecide(String why, String constraint, String body, int status) {
        String text = "path \"" + mount + "/creds/web\" {\n  capabilities = [\"update\"]\n  " + constraint + "\n}\n";
        Response r = json(as(token(policy("params", text))), body).post("/v1/" + mount + "/creds/web");
        assertEquals(status, r.statusCode(), why + ": " + r.asString());
        if (status == 403) {
            r.then().body("errors", contains(DENIED));
        }
    }

    /** One policy, two identities: each token reaches the role its own metadata names, and no other. */
    @Test
    void templatedPathsFollowTheTokensIdentity() {
        String text = rule(mount + "/creds/{{identity.entity.metadata.tier}}", "update")
                + rule(mount + "/roles/{{identity.entity.name}}", "read");
        String name = policy("templated", text);
        String web = token(Map.of("tier", "web"), name);
        String db = token(Map.of("tier", "db"), name);
        String none = token(name);
        json(as(web), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web").then().statusCode(200);
        json(as(web), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/db").then().statusCode(403)
                .body("errors", contains(DENIED));
        json(as(db), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/db").then().statusCode(200);
        json(as(db), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web").then().statusCode(403);
        // without the metadata the templated rule does not exist for the token; nothing else breaks
        json(as(none), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web").then().statusCode(403);
        as(none).get("/v1/auth/token/lookup-self").then().statusCode(200);
        // the display name renders too: a token named "web" reads the role of its name
        String named = json(DevServer.root(), "{\"policies\":[\"" + name + "\"],\"display_name\":\"web\"}")
                .post("/v1/auth/token/create").then().statusCode(200).extract().path("auth.client_token");
        Requests.otpRole(mount, "token-web");
        as(named).get("/v1/" + mount + "/roles/token-web").then().statusCode(200);
        as(named).get("/v1/" + mount + "/roles/web").then().statusCode(403);
    }

    @ParameterizedTest(name = "[{index}] {0} {1} with {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            PUT  | sys/leases/revoke-prefix/M/creds/db | update       | 403
            PUT  | sys/leases/revoke-prefix/M/creds/db | update sudo  | 204
            PUT  | sys/leases/revoke-force/M/creds/db  | update       | 403
            PUT  | sys/leases/revoke-force/M/creds/db  | update sudo  | 204
            LIST | sys/leases/lookup/M/creds/          | list         | 403
            LIST | sys/leases/lookup/M/creds/          | list sudo    | 200
            PUT  | sys/rotate                          | update       | 403
            PUT  | sys/rotate                          | update sudo  | 204
            LIST | auth/token/accessors                | list         | 403
            LIST | auth/token/accessors                | list sudo    | 200
            """)
    void sudoWhereVaultDemandsIt(String method, String path, String capabilities, int status) {
        String p = path.replace("M/", mount + "/");
        String token = token(policy("sudo", rule(p.endsWith("/") ? p + "*" : p, capabilities.split(" "))));
        json(DevServer.root(), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/db").then().statusCode(200);
        Response r = json(as(token), "{}").request(method, "/v1/" + p);
        assertEquals(status, r.statusCode(), r.asString());
    }

    /** Enabling a mount needs update on its sys/mounts path, and no sudo, as in Vault. */
    @Test
    void enablingAMountNeedsNoSudo() {
        String token = token(policy("mounts", rule("sys/mounts/*", "create", "update", "delete")));
        String path = "by-policy-" + UUID.randomUUID().toString().substring(0, 8);
        json(as(token), "{\"type\":\"ssh\"}").post("/v1/sys/mounts/" + path).then().statusCode(204);
        as(token).delete("/v1/sys/mounts/" + path).then().statusCode(204);
        as(token).get("/v1/sys/mounts").then().statusCode(403).body("errors", contains(DENIED));
    }

    /** The ACL is checked before the engine runs: a refused creds makes no OTP and no lease. */
    @Test
    void aRefusedCredsLeavesNothingBehind() {
        String token = token(policy("readonly", rule(mount + "/*", "read", "list")));
        int before = leases("db");
        for (int i = 0; i < 5; i++) {
            json(as(token), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/db").then().statusCode(403);
        }
        assertEquals(before, leases("db"));
    }

    private static int leases(String role) {
        Response r = DevServer.root().request("LIST", "/v1/sys/leases/lookup/" + mount + "/creds/" + role + "/");
        if (r.statusCode() == 404) {
            return 0;
        }
        r.then().statusCode(200);
        List<String> keys = r.path("data.keys");
        return keys.size();
    }

    @Test
    void aPolicyChangeAppliesFromTheNextRequest() {
        String name = policy("changing", rule(mount + "/roles/*", "read"));
        String token = token(name);
        as(token).get("/v1/" + mount + "/roles/web").then().statusCode(200);
        AclFixtures.write(name, rule(mount + "/roles/db", "read"));
        as(token).get("/v1/" + mount + "/roles/web").then().statusCode(403).body("errors", contains(DENIED));
        as(token).get("/v1/" + mount + "/roles/db").then().statusCode(200);
        DevServer.root().delete("/v1/sys/policies/acl/" + name).then().statusCode(204);
        as(token).get("/v1/" + mount + "/roles/db").then().statusCode(403);
    }
}
