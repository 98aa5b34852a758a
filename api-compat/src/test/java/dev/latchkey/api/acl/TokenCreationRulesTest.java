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
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a non-root token may ask of {@code auth/token/create}: a subset of its own policies, and
 * with {@code sudo} on the path anything but root (a chosen ID, an orphan, a period, other policies).
 */
class TokenCreationRulesTest {
    private static String team;
    private static String other;
    private static String creator;
    private static String sudoer;

    @BeforeAll
    static void setUp() {
        team = policy("team", rule("team/*", "read"));
        other = policy("other", rule("other/*", "read"));
        String canCreate = policy("can-create", rule("auth/token/create", "update"));
        String canSudo = policy("can-sudo", rule("auth/token/create", "update", "sudo"));
        creator = token(team, canCreate);
        sudoer = token(team, canSudo);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no policies: the parent's                  | {}                                   | 200 |
            a subset of the parent's                   | {"policies":["TEAM"]}                | 200 |
            a policy the parent lacks                  | {"policies":["OTHER"]}               | 400 | child policies must be subset of parent
            a chosen ID                                | {"id":"hvs.chosen-RAND"}             | 400 | root or sudo privileges required to specify token id
            an orphan                                  | {"no_parent":true}                   | 400 | root or sudo privileges required to create orphan token
            a periodic token                           | {"period":"1h"}                      | 400 | root or sudo privileges required to create periodic token
            root                                       | {"policies":["root"]}                | 400 | child policies must be subset of parent
            no default policy                          | {"no_default_policy":true}           | 200 |
            an explicit max TTL                        | {"explicit_max_ttl":"10m","ttl":"1h"} | 200 |
            """)
    void withoutSudo(String why, String body, int status, String error) {
        check(creator, body, status, error);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a policy the parent lacks                  | {"policies":["OTHER"]}               | 200 |
            a chosen ID                                | {"id":"hvs.chosen-RAND"}             | 200 |
            an orphan                                  | {"no_parent":true}                   | 200 |
            a periodic token                           | {"period":"1h"}                      | 200 |
            root, which sudo never grants              | {"policies":["root"]}                | 400 | root tokens may not be created without parent token being root
            an internal policy                         | {"policies":["response-wrapping"]}   | 400 | cannot assign policy "response-wrapping"
            """)
    void withSudo(String why, String body, int status, String error) {
        check(sudoer, body, status, error);
    }

    private static void check(String parent, String body, int status, String error) {
        String b = body.replace("TEAM", team).replace("OTHER", other)
                .replace("RAND", UUID.randomUUID().toString().substring(0, 8));
        Response r = json(as(parent), b).post("/v1/auth/token/create");
        assertEquals(status, r.statusCode(), b + ": " + r.asString());
        if (error != null) {
            r.then().body("errors", contains(error));
        }
    }

    @Test
    void whatTheChildCarries() {
        json(as(creator), "{}").post("/v1/auth/token/create").then().statusCode(200)
                .body("auth.policies", org.hamcrest.Matchers.hasItems(team, "default"))
                .body("auth.orphan", equalTo(false));
        json(as(creator), "{\"policies\":[\"" + team + "\"],\"no_default_policy\":true}").post("/v1/auth/token/create")
                .then().statusCode(200).body("auth.policies", contains(team));
        json(as(creator), "{\"explicit_max_ttl\":\"10m\",\"ttl\":\"1h\"}").post("/v1/auth/token/create")
                .then().statusCode(200).body("auth.lease_duration", equalTo(600));
        json(as(creator), "{\"renewable\":false}").post("/v1/auth/token/create")
                .then().statusCode(200).body("auth.renewable", equalTo(false));
        json(as(sudoer), "{\"period\":\"1h\",\"policies\":[\"" + team + "\"]}").post("/v1/auth/token/create")
                .then().statusCode(200).body("auth.lease_duration", equalTo(3600));
        String periodic = json(as(sudoer), "{\"period\":\"1h\"}").post("/v1/auth/token/create")
                .then().extract().path("auth.client_token");
        as(periodic).get("/v1/auth/token/lookup-self").then().statusCode(200).body("data.period", equalTo(3600));
        json(as(sudoer), "{\"policies\":[\"no-such-policy\"]}").post("/v1/auth/token/create").then().statusCode(200)
                .body("warnings", contains("Policy \"no-such-policy\" does not exist"));
        // create-orphan is governed by its own path's ACL: the creator has no grant there
        json(as(creator), "{}").post("/v1/auth/token/create-orphan").then().statusCode(403)
                .body("errors", contains(DENIED));
        String orphaner = token(team, policy("orphaner", rule("auth/token/create-orphan", "update")));
        json(as(orphaner), "{}").post("/v1/auth/token/create-orphan").then().statusCode(200)
                .body("auth.orphan", equalTo(true));
    }

    @Test
    void aLimitedUseTokenMakesNoChildren() {
        String limited = json(DevServer.root(), "{\"policies\":[\"" + team + "\",\"" + policy("lim",
                rule("auth/token/create", "update")) + "\"],\"num_uses\":3}").post("/v1/auth/token/create")
                .then().statusCode(200).extract().path("auth.client_token");
        json(as(limited), "{}").post("/v1/auth/token/create").then().statusCode(400)
                .body("errors", contains("restricted use token cannot generate child tokens"));
    }
}
