package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.latchkey.api.ssh.ca.CaFixtures.nowSeconds;
import static dev.latchkey.api.ssh.ca.CaFixtures.postAs;
import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertErrorStartsWith;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.post;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code sign/:role} and {@code issue/:role} as clients see them: Vault's envelope for a
 * certificate, error bodies, what a token gives the engine as identity (display name, accessor,
 * meta) and a tuned mount's TTLs. The signing rules are tested on the engine
 * ({@code engine/…/ssh/ca}).
 */
class SignAndIssueTest {
    private static String mount;
    private static SshKeygen.KeyPair user;

    @BeforeAll
    static void setUp() {
        mount = CaFixtures.mountWithEd25519Ca("sign");
        user = SshKeygen.generate("ed25519", 0);
        role(mount, "any", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
    }

    private static String body(String more) {
        return "{\"public_key\":" + quote(user.publicKeyText()) + "," + more + "}";
    }

    /** A token made by root with this display name and meta (a JSON object). */
    private static JsonPath childToken(String displayName, String meta) {
        Response r = DevServer.root().contentType("application/json").body("{\"display_name\":" + quote(displayName)
                + ",\"policies\":[\"root\"],\"meta\":" + meta + "}").post("/v1/auth/token/create").andReturn();
        assertThat(r.asString(), r.statusCode(), is(200));
        return r.jsonPath();
    }

    @Test
    void signAnswersVaultsEnvelopeAndIsNeverLeased() {
        JsonPath j = CaFixtures.ok(post(mount, "sign/any", body("\"valid_principals\":\"x\"")));
        assertThat(j.getMap("data").keySet(), equalTo(Set.of("serial_number", "signed_key", "issuer_id")));
        KeygenListing c = SshKeygen.inspect(j.getString("data.signed_key"));
        assertThat(c.raw(), c.serial(), is(CaFixtures.unsignedDecimal(j.getString("data.serial_number"))));
        assertThat(c.raw(), c.publicKeyFingerprint(), is(user.fingerprint().sha256()));
    }

    @Test
    void issueAnswersVaultsEnvelopeWithTheKeyPair() {
        JsonPath j = CaFixtures.ok(post(mount, "issue/any", "{\"key_type\":\"ed25519\",\"valid_principals\":\"x\"}"));
        assertThat(j.getMap("data").keySet(), equalTo(Set.of("serial_number", "signed_key", "issuer_id", "private_key",
                "private_key_type")));
        assertThat(j.getString("data.private_key_type"), is("ed25519"));
        KeygenListing c = SshKeygen.inspect(j.getString("data.signed_key"));
        assertThat(c.raw(), c.publicKeyFingerprint(),
                is(SshKeygen.fingerprint(SshKeygen.publicKeyOf(j.getString("data.private_key"))).sha256()));
        assertError(post(mount, "issue/nope", "{\"key_type\":\"ed25519\"}"), 400, "unknown role: nope");
    }

    @Test
    void aRefusalIsVaultsErrorsBodyWithoutData() {
        role(mount, "tpl-missing", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"allowed_users\":\"{{identity.entity.metadata.nope}}\",\"allowed_users_template\":true}");
        Response r = post(mount, "sign/tpl-missing", body("\"valid_principals\":\"alice\""));
        assertErrorStartsWith(r, 400, "template '{{identity.entity.metadata.nope}}' could not be rendered -> ");
        assertThat(r.jsonPath().getString("data"), nullValue());
    }

    /** The token is the identity: its display name, accessor and meta fill the templates. */
    @Test
    void identityTemplatesDrawOnTheCallersToken() {
        JsonPath alice = childToken("alice", "{\"email\":\"alice@example.com\"}");
        role(mount, "tpl", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"default_user\":\"{{identity.entity.name}}\",\"default_user_template\":true,"
                + "\"allowed_users\":\"{{identity.entity.metadata.email}},token-alice,token\",\"allowed_users_template\":true,"
                + "\"default_extensions_template\":true,\"default_extensions\":{\"id@example.com\":\"{{identity.entity.id}}\"}}");
        String token = alice.getString("auth.client_token");
        KeygenListing c = SshKeygen.inspect(CaFixtures.ok(postAs(token, mount, "sign/tpl",
                body("\"valid_principals\":\"alice@example.com\""))).getString("data.signed_key"));
        assertThat(c.raw(), c.principals(), equalTo(List.of("alice@example.com")));
        assertThat(c.raw(), c.extensions(), equalTo(List.of(KeygenListing.unknownOption("id@example.com",
                alice.getString("auth.accessor")))));
        c = SshKeygen.inspect(CaFixtures.ok(postAs(token, mount, "sign/tpl", "{\"public_key\":"
                + quote(user.publicKeyText()) + "}")).getString("data.signed_key"));
        assertThat("the child's display name", c.principals(), equalTo(List.of("token-alice")));
        // The dev server's root token was made with a requested ID, so its display name is "token".
        role(mount, "tpl-root", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"default_user\":\"{{identity.entity.name}}\",\"default_user_template\":true}");
        c = SshKeygen.inspect(CaFixtures.ok(post(mount, "sign/tpl-root", "{\"public_key\":"
                + quote(user.publicKeyText()) + "}")).getString("data.signed_key"));
        assertThat(c.principals(), equalTo(List.of("token")));
    }

    /** A child token's display name is "token-<name>" as Vault makes it; the root token's is "token". */
    @Test
    void keyIdsCarryTheDisplayNameTheTokenGot() {
        String hash = user.blobSha256Hex();
        assertThat(SshKeygen.inspect(CaFixtures.ok(post(mount, "sign/any", body("\"valid_principals\":\"x\"")))
                .getString("data.signed_key")).keyId(), is("vault-token-" + hash));
        role(mount, "fmt", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"key_id_format\":\"{{role_name}}/{{token_display_name}}/{{public_key_hash}}\"}");
        assertThat(SshKeygen.inspect(CaFixtures.ok(post(mount, "sign/fmt", body("\"valid_principals\":\"x\"")))
                .getString("data.signed_key")).keyId(), is("fmt/token/" + hash));
        String bot = childToken("matrix bot", "{}").getString("auth.client_token");
        assertThat(SshKeygen.inspect(CaFixtures.ok(postAs(bot, mount, "sign/fmt", body("\"valid_principals\":\"x\"")))
                .getString("data.signed_key")).keyId(), is("fmt/token-matrix-bot/" + hash));
        assertThat(SshKeygen.inspect(CaFixtures.ok(postAs(bot, mount, "sign/any", body("\"valid_principals\":\"x\"")))
                .getString("data.signed_key")).keyId(), is("vault-token-matrix-bot-" + hash));
    }

    /** {@code sys/mounts/:path/tune} reaches the engine: its default lease TTL is a certificate's TTL. */
    @Test
    void aTunedMountsDefaultTtlIsTheCertificatesTtl() {
        String tuned = CaFixtures.mountWithEd25519Ca("sign-tuned");
        Response t = DevServer.root().contentType("application/json")
                .body("{\"default_lease_ttl\":\"20m\",\"max_lease_ttl\":\"1h\"}")
                .post("/v1/sys/mounts/" + tuned + "/tune").andReturn();
        assertThat(t.asString(), t.statusCode(), is(204));
        role(tuned, "plain", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        long before = nowSeconds();
        KeygenListing c = SshKeygen.inspect(CaFixtures.ok(post(tuned, "sign/plain", body("\"valid_principals\":\"x\"")))
                .getString("data.signed_key"));
        long after = nowSeconds();
        assertThat(c.raw(), c.validFrom().getEpochSecond(), greaterThanOrEqualTo(before - 30 - 1));
        assertThat(c.raw(), c.validFrom().getEpochSecond(), lessThanOrEqualTo(after - 30 + 1));
        assertThat(c.raw(), c.validTo().getEpochSecond() - c.validFrom().getEpochSecond(), is(30L + 1200));
        assertError(post(tuned, "sign/plain", body("\"valid_principals\":\"x\",\"ttl\":\"61m\"")), 400,
                "ttl is larger than maximum allowed 3600");
    }
}
