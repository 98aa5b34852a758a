package dev.latchkey.api.auth;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.JsonText;
import dev.latchkey.api.testing.TestIdp;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * JWT logins against a running server with tokens signed on the fly by keys served as a JWKS on
 * loopback: each check of Vault's JWT plugin, in its order and words, accepted or refused.
 */
class JwtLoginTest {
    private static final String ISSUER = "https://idp.example.com";
    private static TestIdp idp;
    private static TestIdp.SigningKey rsa;
    private static String mount;

    @BeforeAll
    static void setUp() throws Exception {
        idp = new TestIdp();
        rsa = idp.publish(TestIdp.key("RS256", "rsa-1"));
        idp.publish(TestIdp.key("ES256", "ec-1"));
        mount = "jwt-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"type\":\"jwt\"}").post("/v1/sys/auth/" + mount).then().statusCode(204);
        json(DevServer.root(), "{\"jwks_url\":\"" + idp.jwksUrl() + "\",\"bound_issuer\":\"" + ISSUER + "\","
                + "\"jwt_supported_algs\":[\"RS256\",\"ES256\",\"EdDSA\"]}").post(path("config")).then().statusCode(204);
        json(DevServer.root(), "{\"role_type\":\"jwt\",\"user_claim\":\"email\",\"bound_audiences\":\"latchkey\","
                + "\"bound_claims_type\":\"glob\",\"bound_claims\":{\"email\":\"*@example.com\"},"
                + "\"claim_mappings\":{\"name\":\"full_name\",\"/custom/unix\":\"unix\"},\"token_policies\":\"ssh-users\","
                + "\"token_ttl\":\"10m\"}").post(path("role/people")).then().statusCode(204);
    }

    @AfterAll
    static void tearDown() {
        idp.close();
    }

    private static String path(String rest) {
        return "/v1/auth/" + mount + "/" + rest;
    }

    private static Map<String, Object> claims(long iatOffset, Long expOffset, Long nbfOffset) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new HashMap<>();
        c.put("iss", ISSUER);
        c.put("aud", List.of("latchkey"));
        c.put("sub", "u-1001");
        c.put("email", "jdoe@example.com");
        c.put("name", "Jane Doe");
        c.put("custom", Map.of("unix", "jdoe"));
        if (iatOffset != Long.MIN_VALUE) {
            c.put("iat", now + iatOffset);
        }
        if (expOffset != null) {
            c.put("exp", now + expOffset);
        }
        if (nbfOffset != null) {
            c.put("nbf", now + nbfOffset);
        }
        return c;
    }

    private static Map<String, Object> valid() {
        return claims(0, 300L, null);
    }

    private static Response login(String jwt) {
        return json(DevServer.anonymous(), "{\"role\":\"people\",\"jwt\":" + JsonText.quote(jwt) + "}").put(path("login"));
    }

    @Test
    void aValidTokenLogsInAsItsUserClaimWithItsMappedClaims() {
        Response r = login(TestIdp.sign(rsa, valid()));
        r.then().statusCode(200).body("mount_type", equalTo("jwt"))
                .body("auth.metadata.role", equalTo("people")).body("auth.metadata.full_name", equalTo("Jane Doe"))
                .body("auth.metadata.unix", equalTo("jdoe")).body("auth.policies", contains("default", "ssh-users"))
                .body("auth.lease_duration", equalTo(600));
        String entity = r.path("auth.entity_id");
        DevServer.root().get("/v1/identity/entity/id/" + entity).then().statusCode(200)
                .body("data.aliases[0].name", equalTo("jdoe@example.com"))
                .body("data.aliases[0].metadata.full_name", equalTo("Jane Doe"));
        DevServer.anonymous().header("X-Vault-Token", (String) r.path("auth.client_token")).get("/v1/auth/token/lookup-self")
                .then().statusCode(200).body("data.display_name", equalTo(mount + "-jdoe@example.com"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            RS256 | rsa
            ES256 | ec
            EdDSA | ed
            """)
    void eachKeyKindVerifies(String alg, String hint) {
        TestIdp.SigningKey key = idp.publish(TestIdp.key(alg, hint + "-" + UUID.randomUUID()));
        login(TestIdp.sign(key, valid())).then().statusCode(200);
    }

    /** A key the JWKS did not have when the mount last fetched it is picked up by one fetch, on the first token it signs. */
    @Test
    void aRotatedKeyIsFetchedOnTheFirstTokenItSigns() {
        login(TestIdp.sign(rsa, valid())).then().statusCode(200);
        int before = idp.fetches();
        TestIdp.SigningKey rotated = TestIdp.key("RS256", "rsa-rotated-" + UUID.randomUUID());
        login(TestIdp.sign(rotated, valid())).then().statusCode(400)
                .body("errors", contains("error validating token: error verifying token signature: failed to verify id token signature"));
        idp.publish(rotated);
        login(TestIdp.sign(rotated, valid())).then().statusCode(200);
        int after = idp.fetches();
        login(TestIdp.sign(rotated, valid())).then().statusCode(200);
        login(TestIdp.sign(rsa, valid())).then().statusCode(200);
        assertEquals(after, idp.fetches(), "known keys verify without fetching");
        org.junit.jupiter.api.Assertions.assertTrue(after - before <= 2, "one fetch per miss: " + (after - before));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            a wrong audience                 | aud=other              | error validating token: invalid audience (aud) claim: audience claim does not match any expected audience
            a wrong issuer                   | iss=https://evil.example | error validating token: invalid issuer (iss) claim
            an email outside the domain      | email=jdoe@other.example | error validating claims: claim "email" does not match any associated bound claim values
            no user claim                    | email=                 | claim "email" not found in token
            a user claim that is no string   | email=42               | claim "email" could not be converted to string
            a mapped claim that is no string | name=42                | error converting claim 'name' to string
            """)
    void claimsAreCheckedAsVaultChecksThem(String why, String change, String error) {
        Map<String, Object> c = valid();
        String[] kv = change.split("=", 2);
        if (kv[1].isEmpty()) {
            c.remove(kv[0]);
        } else if (kv[1].equals("42")) {
            c.put(kv[0], 42);
        } else {
            c.put(kv[0], kv[0].equals("aud") ? List.of(kv[1]) : kv[1]);
        }
        login(TestIdp.sign(rsa, c)).then().statusCode(400).body("errors", contains(error));
    }

    /**
     * Vault's time rule: the clock skew (60 s) widens exp, nbf and iat; the expiration and
     * not-before leeways (150 s) only stand in for a missing exp or nbf. So a token with only an
     * {@code exp} more than 210 s away is "not yet valid" (its nbf is taken as exp - 150 s), and a
     * future {@code iat} without {@code nbf} fails as a future nbf.
     */
    @ParameterizedTest(name = "[{index}] iat {0}, exp {1}, nbf {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            0       | 300   |       | ok
            -600    | -30   |       | ok
            -600    | -90   |       | invalid expiration time (exp) claim: token is expired
            0       | 300   | 30    | ok
            0       | 300   | 90    | invalid not before (nbf) claim: token not yet valid
            90      | 300   |       | invalid not before (nbf) claim: token not yet valid
            90      | 300   | 0     | invalid issued at (iat) claim: token issued in the future
            -100    |       |       | ok
            -300    |       |       | invalid expiration time (exp) claim: token is expired
            none    |       |       | no issued at (iat), not before (nbf), or expiration time (exp) claims in token
            none    | 300   |       | invalid not before (nbf) claim: token not yet valid
            none    | 200   |       | ok
            none    |       | -100  | ok
            """)
    void timeClaims(String iat, String exp, String nbf, String outcome) {
        Map<String, Object> c = claims(iat.equals("none") ? Long.MIN_VALUE : Long.parseLong(iat),
                exp == null ? null : Long.parseLong(exp), nbf == null ? null : Long.parseLong(nbf));
        Response r = login(TestIdp.sign(rsa, c));
        if (outcome.equals("ok")) {
            assertEquals(200, r.statusCode(), r.asString());
        } else {
            r.then().statusCode(400).body("errors", contains("error validating token: " + outcome));
        }
    }

    @Test
    void theExpirationLeewayNeverExtendsAPresentExp() {
        json(DevServer.root(), "{\"role_type\":\"jwt\",\"user_claim\":\"email\",\"bound_audiences\":\"latchkey\","
                + "\"expiration_leeway\":600}").post(path("role/lenient")).then().statusCode(204);
        json(DevServer.anonymous(), "{\"role\":\"lenient\",\"jwt\":" + JsonText.quote(TestIdp.sign(rsa, claims(-900, -120L, null)))
                + "}").put(path("login")).then().statusCode(400)
                .body("errors", contains("error validating token: invalid expiration time (exp) claim: token is expired"));
    }

    @Test
    void algorithmsOutsideTheAllowListAreRefused() {
        TestIdp.SigningKey ps = idp.publish(TestIdp.key("PS256", "ps-1"));
        login(TestIdp.sign(ps, valid())).then().statusCode(400).body("errors",
                contains("error validating token: invalid algorithm (alg) header parameter: token signed with unexpected algorithm"));
    }

    @Test
    void rolesAndLoginsAreRefusedAsVaultRefusesThem() {
        json(DevServer.root(), "{\"role_type\":\"jwt\"}").post(path("role/x")).then().statusCode(400)
                .body("errors", contains("a user claim must be defined on the role"));
        json(DevServer.root(), "{\"role_type\":\"jwt\",\"user_claim\":\"sub\"}").post(path("role/x")).then().statusCode(400)
                .body("errors", contains("must have at least one bound constraint when creating/updating a role"));
        json(DevServer.root(), "{\"user_claim\":\"sub\"}").post(path("role/x")).then().statusCode(400)
                .body("errors", contains("'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."));
        json(DevServer.root(), "{\"role_type\":\"saml\",\"user_claim\":\"sub\"}").post(path("role/x")).then().statusCode(400)
                .body("errors", contains("invalid 'role_type': saml"));
        json(DevServer.root(), "{\"role_type\":\"jwt\",\"user_claim\":\"sub\",\"bound_subject\":\"s\","
                + "\"claim_mappings\":{\"a\":\"role\"}}").post(path("role/x")).then().statusCode(400)
                .body("errors", contains("metadata key \"role\" is reserved and may not be a mapping destination"));
        json(DevServer.root(), "{\"user_claim\":\"sub\",\"allowed_redirect_uris\":\"http://localhost:8250/oidc/callback\"}")
                .post(path("role/browser")).then().statusCode(204);
        DevServer.root().get(path("role/browser")).then().statusCode(200).body("data.role_type", equalTo("oidc"))
                .body("data.bound_claims_type", equalTo("string"));

        json(DevServer.anonymous(), "{\"jwt\":\"x\"}").put(path("login")).then().statusCode(400)
                .body("errors", contains("missing role"));
        json(DevServer.anonymous(), "{\"role\":\"nope\",\"jwt\":\"x\"}").put(path("login")).then().statusCode(400)
                .body("errors", contains("role \"nope\" could not be found"));
        json(DevServer.anonymous(), "{\"role\":\"browser\",\"jwt\":\"x\"}").put(path("login")).then().statusCode(400)
                .body("errors", contains("role with oidc role_type is not allowed"));
        json(DevServer.anonymous(), "{\"role\":\"people\"}").put(path("login")).then().statusCode(400)
                .body("errors", contains("missing token"));
        DevServer.root().get(path("config")).then().statusCode(200).body("data.jwks_url", equalTo(idp.jwksUrl()))
                .body("data", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("oidc_client_secret")));
        json(DevServer.root(), "{\"jwks_url\":\"" + idp.jwksUrl() + "\",\"jwt_validation_pubkeys\":\"x\"}").post(path("config"))
                .then().statusCode(400).body("errors", contains("exactly one of 'jwt_validation_pubkeys', 'jwks_url', "
                        + "'jwks_pairs' or 'oidc_discovery_url' must be set"));
        json(DevServer.root(), "{\"jwks_url\":\"" + idp.jwksUrl() + "\",\"jwt_supported_algs\":\"HS256\"}").post(path("config"))
                .then().statusCode(400).body("errors", contains("invalid jwt_supported_algs: unsupported signing algorithm \"HS256\""));
    }

    @Test
    void staticPemKeysVerifyOnTheirOwnMount() {
        TestIdp.SigningKey ec = TestIdp.key("ES256", "pem");
        TestIdp.SigningKey other = TestIdp.key("ES256", "other");
        String pemMount = "jwtpem-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"type\":\"jwt\"}").post("/v1/sys/auth/" + pemMount).then().statusCode(204);
        json(DevServer.root(), "{\"jwt_validation_pubkeys\":[" + JsonText.quote(TestIdp.pem(ec)) + "]}")
                .post("/v1/auth/" + pemMount + "/config").then().statusCode(204);
        json(DevServer.root(), "{\"role_type\":\"jwt\",\"user_claim\":\"sub\",\"bound_audiences\":\"latchkey\"}")
                .post("/v1/auth/" + pemMount + "/role/r").then().statusCode(204);
        json(DevServer.anonymous(), "{\"role\":\"r\",\"jwt\":" + JsonText.quote(TestIdp.sign(ec, valid())) + "}")
                .put("/v1/auth/" + pemMount + "/login").then().statusCode(200);
        json(DevServer.anonymous(), "{\"role\":\"r\",\"jwt\":" + JsonText.quote(TestIdp.sign(other, valid())) + "}")
                .put("/v1/auth/" + pemMount + "/login").then().statusCode(400).body("errors", contains(
                        "error validating token: error verifying token signature: no known key successfully validated the token signature"));
        json(DevServer.root(), "{\"jwt_validation_pubkeys\":\"not a key\"}").post("/v1/auth/" + pemMount + "/config")
                .then().statusCode(400);
    }
}
