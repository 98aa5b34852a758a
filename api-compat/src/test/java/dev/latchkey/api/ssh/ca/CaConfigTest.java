package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.testing.SshKeygen;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertNoContent;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.get;
import static dev.latchkey.api.testing.Requests.post;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code config/ca} and {@code public_key} as clients see them: the envelope and status codes, the
 * raw unauthenticated public key with its headers, and no HTTP answer carrying the private key.
 * The rules of generation and import are tested on the engine ({@code ConfigCaPathTest}).
 */
class CaConfigTest {
    private static Response rawPublicKey(String mount) {
        return DevServer.anonymous().get("/v1/" + mount + "/public_key").andReturn();
    }

    /** The same text from the authenticated read's envelope and the raw unauthenticated path. */
    private static void assertPublicKeyEverywhere(String mount, String expected) {
        Response read = get(mount, "config/ca");
        assertThat(read.asString(), read.statusCode(), is(200));
        assertThat(read.jsonPath().getString("data.public_key"), is(expected));
        assertThat(read.jsonPath().getMap("data").keySet(), is(Set.of("public_key")));

        Response raw = rawPublicKey(mount);
        assertThat(raw.statusCode(), is(200));
        assertThat(raw.getHeader("Content-Type"), is("text/plain"));
        assertThat(raw.getHeader("Cache-Control"), is("no-store"));
        assertThat("raw body, no envelope", raw.asString(), is(expected));
    }

    /**
     * Every HTTP answer that could leak the CA private key, the mount's own description included:
     * none carries a PEM block, nor (for an imported key) any piece of the key file that is not
     * public material.
     */
    private static void assertNoPrivateKeyAnywhere(String mount, SshKeygen.KeyPair imported) {
        SshKeygen.KeyPair user = SshKeygen.generate("ed25519", 0);
        role(mount, "signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\"}");
        List<String> bodies = List.of(get(mount, "config/ca").asString(), rawPublicKey(mount).asString(),
                get(mount, "roles/signer").asString(),
                DevServer.root().request("LIST", "/v1/" + mount + "/roles").asString(),
                post(mount, "sign/signer", "{\"public_key\":" + quote(user.publicKeyText())
                        + ",\"valid_principals\":\"alice\"}").asString(),
                DevServer.root().get("/v1/sys/mounts/" + mount).asString());
        for (String body : bodies) {
            assertThat(body, not(containsString("PRIVATE KEY")));
            assertThat(body, not(containsString("-----BEGIN")));
            if (imported != null) {
                String flat = body.replace("\\n", "").replace("\n", "");
                for (String piece : imported.privateOnlyPieces()) {
                    assertThat(piece + " in " + body, flat.contains(piece), is(false));
                }
            }
        }
    }

    @Test
    void generateAnswers200WithThePublicKeyWhichReadAndRawPublicKeyRepeat() {
        String mount = DevServer.enableSsh("ca-gen");
        Response r = post(mount, "config/ca", "{\"key_type\":\"ed25519\"}");
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getMap("data").keySet(), is(Set.of("public_key")));
        assertThat(r.jsonPath().getString("lease_id"), is(""));
        assertThat(r.asString(), not(containsString("PRIVATE")));
        assertPublicKeyEverywhere(mount, r.jsonPath().getString("data.public_key"));
        assertNoPrivateKeyAnywhere(mount, null);
    }

    @Test
    void importAnswers204AndNoAnswerCarriesThePrivateKey() {
        SshKeygen.KeyPair ca = SshKeygen.generate("ecdsa", 256, "-m", "PEM");
        String mount = DevServer.enableSsh("ca-import");
        assertNoContent(post(mount, "config/ca", "{\"public_key\":" + quote(ca.publicKeyText()) + ",\"private_key\":"
                + quote(ca.privateKeyText()) + "}"));
        assertPublicKeyEverywhere(mount, ca.publicKeyText());
        assertNoPrivateKeyAnywhere(mount, ca);
    }

    @Test
    void aRefusedWriteIs400WithVaultsErrorsBody() {
        String mount = DevServer.enableSsh("ca-refused");
        assertError(post(mount, "config/ca", "{\"key_type\":\"rsa\",\"key_bits\":1024}"), 400,
                "refusing to generate weak rsa key: 1024 bits < 2048 bits");
    }

    @Test
    void readWithoutKeysIs400AndRawPublicKeyIs404WithEmptyErrors() {
        String mount = DevServer.enableSsh("ca-empty");
        assertError(get(mount, "config/ca"), 400, "keys haven't been configured yet");
        Response raw = rawPublicKey(mount);
        assertThat(raw.statusCode(), is(404));
        assertThat(raw.asString().trim(), is("{\"errors\":[]}"));
        // The raw path needs no token, and a bad one does not hurt: Vault ignores tokens on unauthenticated paths.
        Response withBadToken = DevServer.anonymous().header("X-Vault-Token", "hvs.not-a-real-token")
                .get("/v1/" + mount + "/public_key").andReturn();
        assertThat(withBadToken.statusCode(), is(404));
        assertThat(withBadToken.asString().trim(), is("{\"errors\":[]}"));
        // config/ca itself needs a token.
        Response anonymous = DevServer.anonymous().get("/v1/" + mount + "/config/ca").andReturn();
        assertThat(anonymous.statusCode(), is(403));
    }

    @Test
    void rawPublicKeyIgnoresAnInvalidToken() {
        String mount = DevServer.enableSsh("ca-rawtok");
        String pub = CaFixtures.generateCa(mount, "{\"key_type\":\"ecdsa-sha2-nistp256\"}");
        Response r = DevServer.anonymous().header("X-Vault-Token", "hvs.AAAAAAAAAAAAAAAAAAAAAAAA")
                .get("/v1/" + mount + "/public_key").andReturn();
        assertThat(r.statusCode(), is(200));
        assertThat(r.asString(), is(pub));
    }

    @Test
    void deleteAnswers204AlsoWhenEmpty() {
        String mount = DevServer.enableSsh("ca-delete");
        assertNoContent(DevServer.root().delete("/v1/" + mount + "/config/ca").andReturn());
        CaFixtures.generateCa(mount, "{\"key_type\":\"ed25519\"}");
        assertNoContent(DevServer.root().delete("/v1/" + mount + "/config/ca").andReturn());
        assertThat(rawPublicKey(mount).statusCode(), is(404));
    }
}
