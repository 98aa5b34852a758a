package dev.latchkey.api;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.engine.storage.Storage;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.latchkey.api.CoreApiSupport.BASE62_24;
import static dev.latchkey.api.CoreApiSupport.assertLeaseGone;
import static dev.latchkey.api.CoreApiSupport.assertOtpRevoked;
import static dev.latchkey.api.CoreApiSupport.creds;
import static dev.latchkey.api.CoreApiSupport.withToken;
import static dev.latchkey.api.testing.Requests.json;
import static dev.latchkey.api.testing.Requests.otpRole;
import static dev.latchkey.testing.VaultErrors.INVALID_TOKEN;
import static dev.latchkey.testing.VaultErrors.PERMISSION_DENIED;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code auth/token/*} basics, Vault's token errors, and token storage (salted hashes only: README,
 * "Deliberate differences from Vault").
 */
class TokensTest {
    private static final String TOKEN_PATTERN = "hvs\\." + BASE62_24;
    private static String mount;

    @BeforeAll
    static void mountWithOtpRole() {
        mount = DevServer.enableSsh("tokens");
        otpRole(mount, "web");
    }

    /** Creates a token as {@code parent}; returns the create response after checking 200. */
    private static Response create(String parent, String body) {
        Response r = json(withToken(parent), body).post("/v1/auth/token/create");
        r.then().statusCode(200);
        return r;
    }

    private static String createToken(String body) {
        return create(DevServer.rootToken(), body).path("auth.client_token");
    }

    private static Response lookupSelf(String token) {
        return withToken(token).get("/v1/auth/token/lookup-self");
    }

    private static void assertInvalid(String token) {
        lookupSelf(token).then().statusCode(403).body("errors", contains(INVALID_TOKEN));
    }

    /**
     * The test server is started with a root token ID of its own choosing, which Vault's dev mode
     * creates through {@code auth/token/create}: its path and display name say so.
     */
    @Test
    void lookupSelfDescribesTheRootToken() {
        Response r = lookupSelf(DevServer.rootToken());
        r.then().statusCode(200)
                .body("mount_type", equalTo("token"))
                .body("auth", nullValue())
                .body("data.id", equalTo(DevServer.rootToken()))
                .body("data.policies", contains("root"))
                .body("data.path", equalTo("auth/token/create"))
                .body("data.display_name", equalTo("token"))
                .body("data.orphan", equalTo(true))
                .body("data", hasKey("expire_time"))
                .body("data.expire_time", nullValue())
                .body("data.ttl", equalTo(0))
                .body("data.creation_ttl", equalTo(0))
                .body("data", hasKey("meta"))
                .body("data.meta", nullValue())
                .body("data.type", equalTo("service"))
                .body("data.num_uses", equalTo(0))
                .body("data.explicit_max_ttl", equalTo(0))
                .body("data.entity_id", equalTo(""))
                .body("data.accessor", allOf(instanceOf(String.class), not(emptyString())))
                .body("data.creation_time", instanceOf(Integer.class))
                .body("data", not(hasKey("issue_time")))
                .body("data", not(hasKey("renewable")));
        assertThat(((Integer) r.path("data.creation_time")).longValue(),
                lessThanOrEqualTo(Instant.now().getEpochSecond()));
    }

    /** {@code Authorization: Bearer} works; {@code X-Vault-Token} wins when both are sent, as in Vault. */
    @Test
    void bearerHeaderCarriesTheToken() {
        DevServer.anonymous().header("Authorization", "Bearer " + DevServer.rootToken())
                .get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.id", equalTo(DevServer.rootToken()));
        DevServer.anonymous().header("Authorization", "Basic " + DevServer.rootToken())
                .get("/v1/auth/token/lookup-self").then().statusCode(403)
                .body("errors", contains(PERMISSION_DENIED));
        DevServer.anonymous().header("X-Vault-Token", "hvs.notATokenAtAll00000000000")
                .header("Authorization", "Bearer " + DevServer.rootToken())
                .get("/v1/auth/token/lookup-self").then().statusCode(403)
                .body("errors", contains(INVALID_TOKEN));
    }

    @Test
    void missingAndUnknownTokensAre403() {
        DevServer.anonymous().get("/v1/sys/mounts").then().statusCode(403).body("errors", contains(PERMISSION_DENIED));
        withToken("hvs.AAAAAAAAAAAAAAAAAAAAAAAA").get("/v1/sys/mounts").then().statusCode(403)
                .body("errors", contains(INVALID_TOKEN));
    }

    @Test
    void createAnswersWithAnAuthBlock() {
        Response r = create(DevServer.rootToken(), "{\"policies\":[\"zeta\",\"alpha\"],"
                + "\"meta\":{\"team\":\"ops\",\"env\":\"prod\"},\"ttl\":\"1h\",\"display_name\":\"My App!\","
                + "\"num_uses\":7}");
        r.then()
                .body("data", nullValue())
                .body("lease_id", equalTo(""))
                .body("mount_type", equalTo("token"))
                .body("auth.client_token", matchesPattern(TOKEN_PATTERN))
                .body("auth.accessor", allOf(instanceOf(String.class), not(emptyString())))
                .body("auth.policies", contains("alpha", "default", "zeta"))
                .body("auth.token_policies", contains("alpha", "default", "zeta"))
                .body("auth.metadata", equalTo(Map.of("team", "ops", "env", "prod")))
                .body("auth.lease_duration", equalTo(3600))
                .body("auth.renewable", equalTo(true))
                .body("auth.orphan", equalTo(false))
                .body("auth.num_uses", equalTo(7))
                .body("auth.token_type", equalTo("service"))
                .body("auth.entity_id", equalTo(""))
                .body("auth", hasKey("mfa_requirement"))
                .body("auth.mfa_requirement", nullValue());
        String token = r.path("auth.client_token");
        assertThat(token, not(equalTo(createToken("{}"))));
        assertThat(r.path("auth.accessor"), not(equalTo(token.substring(4))));
    }

    @Test
    void lookupSelfOfAChildShowsWhatWasAskedFor() {
        Response created = create(DevServer.rootToken(), "{\"policies\":[\"zeta\",\"alpha\"],"
                + "\"meta\":{\"team\":\"ops\"},\"ttl\":\"1h\",\"display_name\":\"My App!\"}");
        String token = created.path("auth.client_token");
        Response r = lookupSelf(token);
        r.then().statusCode(200)
                .body("data.id", equalTo(token))
                .body("data.accessor", equalTo(created.path("auth.accessor")))
                .body("data.policies", contains("alpha", "default", "zeta"))
                .body("data.meta", equalTo(Map.of("team", "ops")))
                .body("data.display_name", equalTo("token-My-App"))
                .body("data.path", equalTo("auth/token/create"))
                .body("data.orphan", equalTo(false))
                .body("data.creation_ttl", equalTo(3600))
                .body("data.ttl", allOf(greaterThan(3590), lessThanOrEqualTo(3600)))
                .body("data.renewable", equalTo(true))
                .body("data.num_uses", equalTo(0))
                .body("data.type", equalTo("service"));
        Instant expire = Instant.parse(r.path("data.expire_time"));
        assertThat(Duration.between(Instant.now(), expire).getSeconds(), allOf(greaterThan(3580L),
                lessThanOrEqualTo(3600L)));
    }

    @Test
    void displayNamesArePrefixedAndSanitised() {
        Map<String, String> cases = Map.of(
                "", "token",
                "ci", "token-ci",
                "my_app.v2!", "token-my-app-v2",
                "a b@c", "token-a-b-c",
                "dash-ok-9", "token-dash-ok-9");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String body = c.getKey().isEmpty() ? "{}" : "{\"display_name\":\"" + c.getKey() + "\"}";
            lookupSelf(createToken(body)).then().statusCode(200)
                    .body("data.display_name", equalTo(c.getValue()));
        }
    }

    @Test
    void lookupDescribesAnotherToken() {
        Response created = create(DevServer.rootToken(), "{\"policies\":[\"default\"],\"display_name\":\"other\"}");
        String token = created.path("auth.client_token");
        json(DevServer.root(), "{\"token\":\"" + token + "\"}").post("/v1/auth/token/lookup").then().statusCode(200)
                .body("data.id", equalTo(token))
                .body("data.accessor", equalTo(created.path("auth.accessor")))
                .body("data.display_name", equalTo("token-other"))
                .body("data.policies", contains("default"));
        json(DevServer.root(), "{\"token\":\"hvs.AAAAAAAAAAAAAAAAAAAAAAAA\"}").post("/v1/auth/token/lookup")
                .then().statusCode(403).body("errors", contains("bad token"));
    }

    @Test
    void defaultPolicyTokenIsDeniedEverythingButItsOwnToken() {
        String token = createToken("{\"policies\":[\"default\"]}");
        json(withToken(token), "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web").then().statusCode(403)
                .body("errors", contains(PERMISSION_DENIED));
        withToken(token).get("/v1/sys/mounts").then().statusCode(403).body("errors", contains(PERMISSION_DENIED));
        withToken(token).get("/v1/" + mount + "/roles/web").then().statusCode(403)
                .body("errors", contains(PERMISSION_DENIED));
        lookupSelf(token).then().statusCode(200).body("data.policies", contains("default"));
        // Vault's default policy grants read on lookup-self, not update: a POST is refused
        json(withToken(token), "{}").post("/v1/auth/token/lookup-self").then().statusCode(403)
                .body("errors", contains(PERMISSION_DENIED));
    }

    /**
     * A non-root token cannot widen its rights. With only the built-in policies, the ACL already
     * stops a non-root token at {@code auth/token/create} (Vault's default policy does not grant
     * it), so every attempt is 403 before the create rules (400) could be reached.
     */
    @Test
    void nonRootTokenCannotCreateTokensBeyondItsRights() {
        String token = createToken("{\"policies\":[\"default\"]}");
        for (String body : List.of("{\"policies\":[\"ops\"]}", "{\"id\":\"hvs.chosenByTheCaller000000000\"}",
                "{\"no_parent\":true}", "{}")) {
            json(withToken(token), body).post("/v1/auth/token/create").then().statusCode(403)
                    .body("errors", contains(PERMISSION_DENIED));
        }
        json(withToken(token), "{}").post("/v1/auth/token/create-orphan").then().statusCode(403);
        json(DevServer.root(), "{\"token\":\"hvs.chosenByTheCaller000000000\"}").post("/v1/auth/token/lookup")
                .then().statusCode(403).body("errors", contains("bad token"));
    }

    @Test
    void limitedUseTokenStopsAfterItsUses() {
        String token = create(DevServer.rootToken(), "{\"policies\":[\"default\"],\"num_uses\":2}")
                .path("auth.client_token");
        lookupSelf(token).then().statusCode(200);
        lookupSelf(token).then().statusCode(200);
        assertInvalid(token);
        json(DevServer.root(), "{\"token\":\"" + token + "\"}").post("/v1/auth/token/lookup").then()
                .statusCode(403).body("errors", contains("bad token"));
    }

    @Test
    void shortLivedTokenExpires() {
        Response created = create(DevServer.rootToken(), "{\"policies\":[\"default\"],\"ttl\":\"2s\"}");
        created.then().body("auth.lease_duration", equalTo(2)).body("auth.renewable", equalTo(true));
        String token = created.path("auth.client_token");
        lookupSelf(token).then().statusCode(200).body("data.ttl", lessThanOrEqualTo(2));
        CoreApiSupport.await(Duration.ofSeconds(6), "token with ttl=2s expired",
                () -> lookupSelf(token).statusCode() == 403);
        assertInvalid(token);
        withToken(token).get("/v1/sys/mounts").then().statusCode(403).body("errors", contains(INVALID_TOKEN));
    }

    @Test
    void renewSelfExtendsTheTtl() {
        String token = createToken("{\"policies\":[\"default\"],\"ttl\":\"10m\"}");
        lookupSelf(token).then().body("data.ttl", allOf(greaterThan(590), lessThanOrEqualTo(600)));
        json(withToken(token), "{\"increment\":\"1h\"}").put("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.client_token", equalTo(token))
                .body("auth.lease_duration", equalTo(3600)) // measured from the renewal, as Vault does
                .body("auth.renewable", equalTo(true))
                .body("auth.policies", contains("default"));
        lookupSelf(token).then().statusCode(200)
                .body("data.ttl", allOf(greaterThan(3590), lessThanOrEqualTo(3600)))
                .body("data.creation_ttl", equalTo(600));
        // without an increment, the token's own TTL
        json(withToken(token), "{}").put("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.lease_duration", equalTo(600));
        json(DevServer.root(), "{\"token\":\"" + token + "\",\"increment\":\"2h\"}").put("/v1/auth/token/renew")
                .then().statusCode(200).body("auth.client_token", equalTo(token))
                .body("auth.lease_duration", equalTo(7200));
    }

    /**
     * Vault's {@code framework.CalculateTTL}: a period beyond the effective maximum TTL (the
     * system's 768h here, or the token's explicit maximum when lower) gives that maximum as the
     * TTL, on create and on every renewal, with Vault's warning; the token keeps its period.
     */
    @Test
    void aPeriodBeyondTheMaximumTtlIsCappedWithVaultsWarning() {
        String capped = "period of \"1000h0m0s\" exceeded the effective max_ttl of \"768h0m0s\"; "
                + "period value is capped accordingly";
        Response created = create(DevServer.rootToken(), "{\"policies\":[\"default\"],\"period\":\"1000h\"}");
        created.then().body("auth.lease_duration", equalTo(2764800)).body("auth.renewable", equalTo(true))
                .body("warnings", contains(capped));
        String token = created.path("auth.client_token");
        lookupSelf(token).then().statusCode(200).body("data.period", equalTo(3600000))
                .body("data.ttl", allOf(greaterThan(2764790), lessThanOrEqualTo(2764800)));
        json(withToken(token), "{}").put("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.lease_duration", equalTo(2764800)).body("warnings", contains(capped));
        json(DevServer.root(), "{\"token\":\"" + token + "\"}").put("/v1/auth/token/renew").then().statusCode(200)
                .body("auth.lease_duration", equalTo(2764800)).body("warnings", contains(capped));
        lookupSelf(token).then().body("data.period", equalTo(3600000));

        create(DevServer.rootToken(), "{\"policies\":[\"default\"],\"period\":\"3h\",\"explicit_max_ttl\":\"2h\"}")
                .then().body("auth.lease_duration", equalTo(7200)).body("warnings", contains("period of \"3h0m0s\" "
                        + "exceeded the effective max_ttl of \"2h0m0s\"; period value is capped accordingly"));
    }

    /** A number no field can hold is a quick 400, whatever the field's type; nothing is created. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ttl", "period", "explicit_max_ttl", "num_uses", "display_name", "renewable", "policies"})
    void anAbsurdNumberInAnyCreateFieldIsABadRequest(String field) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> json(DevServer.root(),
                "{\"" + field + "\":1e2000000000}").post("/v1/auth/token/create").then().statusCode(400)
                .body("errors", hasSize(1)));
    }

    @Test
    void aPeriodWithinTheMaximumTtlIsTheTtlWithoutWarning() {
        Response created = create(DevServer.rootToken(), "{\"policies\":[\"default\"],\"period\":\"768h\"}");
        created.then().body("auth.lease_duration", equalTo(2764800)).body("warnings", nullValue());
        json(withToken((String) created.path("auth.client_token")), "{}").put("/v1/auth/token/renew-self").then()
                .statusCode(200).body("auth.lease_duration", equalTo(2764800)).body("warnings", nullValue());
    }

    @Test
    void revokeSelfRevokesTheTokenItsChildrenAndItsLeases() {
        String parent = createToken("{\"policies\":[\"root\"],\"ttl\":\"1h\"}");
        String child = create(parent, "{\"policies\":[\"root\"],\"ttl\":\"1h\"}").path("auth.client_token");
        String grandchild = create(child, "{\"policies\":[\"default\"]}").path("auth.client_token");
        String orphan = json(withToken(parent), "{\"policies\":[\"default\"]}").post("/v1/auth/token/create-orphan")
                .then().statusCode(200).body("auth.orphan", equalTo(true)).extract().path("auth.client_token");
        Response minted = creds(withToken(parent), mount, "web");
        String leaseId = minted.path("lease_id");
        String otp = minted.path("data.key");
        Response childMinted = creds(withToken(child), mount, "web");
        String rootLease = creds(mount, "web").path("lease_id");

        json(withToken(parent), "{}").put("/v1/auth/token/revoke-self").then().statusCode(204);

        assertInvalid(parent);
        assertInvalid(child);
        assertInvalid(grandchild);
        lookupSelf(orphan).then().statusCode(200);
        assertLeaseGone(leaseId);
        assertOtpRevoked(mount, otp);
        assertLeaseGone(childMinted.path("lease_id"));
        assertOtpRevoked(mount, childMinted.path("data.key"));
        CoreApiSupport.lookupLease(rootLease).then().statusCode(200);
    }

    /** Tokens are kept as salted hashes only, and OTPs likewise (README, "Deliberate differences from Vault"). */
    @Test
    void tokensAndOtpsNeverAppearInStorage() {
        Response created = create(DevServer.rootToken(), "{\"policies\":[\"root\"],\"display_name\":\"scan\"}");
        String token = created.path("auth.client_token");
        String accessor = created.path("auth.accessor");
        String child = create(token, "{\"policies\":[\"default\"]}").path("auth.client_token");
        String otp = creds(withToken(token), mount, "web").path("data.key");
        lookupSelf(token).then().statusCode(200);

        List<String> secrets = List.of(token, token.substring(4), child, child.substring(4), otp,
                DevServer.rootToken());
        // Every record as the server wrote it, opened: through the storage port, so what is checked
        // is the plaintext the engines keep, before any sealing.
        Storage storage = DevServer.get().storage();
        List<String> keys = allKeys(storage, "");
        for (String key : keys) {
            // other test classes share the server: a key may be gone between the listing and the read
            String value = storage.get(key).map(v -> new String(v, StandardCharsets.ISO_8859_1)).orElse("");
            for (String secret : secrets) {
                assertThat("key " + key, key.contains(secret), equalTo(false));
                assertThat("value of " + key, value.contains(secret), equalTo(false));
                assertThat("UTF-16 value of " + key, value.contains(utf16(secret)), equalTo(false));
            }
        }
        // the scan looked at the right place: the token's accessor entry is there, keyed in clear
        assertThat(keys, hasItem("core/token/accessor/" + accessor));
        assertThat(keys.stream().anyMatch(k -> k.startsWith("core/token/id/")), equalTo(true));
        assertThat(keys.stream().anyMatch(k -> k.contains("/otp/")), equalTo(true));
    }

    /** Every key under the prefix, at all depths, as {@code Storage.list} walks them. */
    private static List<String> allKeys(Storage storage, String prefix) {
        List<String> keys = new ArrayList<>();
        for (String child : storage.list(prefix)) {
            if (child.endsWith("/")) {
                keys.addAll(allKeys(storage, prefix + child));
            } else {
                keys.add(prefix + child);
            }
        }
        return keys;
    }

    private static String utf16(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1);
    }
}
