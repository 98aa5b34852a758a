package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Several CA issuers per mount over HTTP: OpenBao's issuer paths, fields and errors, Latchkey's
 * refusals where OpenBao only warns, {@code issuers/public_keys}, and the legacy paths keeping
 * Vault's answers on a mount with issuers.
 */
class IssuersTest {
    private static final String ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static Response post(String mount, String path, String body) {
        return json(DevServer.root(), body).post("/v1/" + mount + "/" + path);
    }

    private static String generate(String mount, String name, String extra) {
        Response r = post(mount, "issuers/import" + (name.isEmpty() ? "" : "/" + name),
                "{\"key_type\":\"ed25519\"" + extra + "}");
        r.then().statusCode(200);
        return r.path("data.issuer_id");
    }

    @Test
    void importListReadRenameAndDeleteAsOpenBaoDoes() {
        String m = DevServer.enableSsh("issuers");
        DevServer.root().request("LIST", "/v1/" + m + "/issuers").then().statusCode(404);
        Response first = post(m, "issuers/import/ca-2025", "{\"key_type\":\"ed25519\"}");
        first.then().statusCode(200).body("data.issuer_name", equalTo("ca-2025"))
                .body("data.issuer_id", matchesPattern(ID))
                .body("data.public_key", startsWith("ssh-ed25519 AAAA"));
        String a = first.path("data.issuer_id");
        String b = generate(m, "ca-2026", "");
        String c = generate(m, "", "");

        // the first became the default; the others did not ask to
        DevServer.root().get("/v1/" + m + "/config/issuers").then().statusCode(200).body("data.default", equalTo(a));
        Response list = DevServer.root().request("LIST", "/v1/" + m + "/issuers");
        List<String> keys = list.path("data.keys");
        assertEquals(keys.stream().sorted().toList(), keys, "keys in ID order");
        assertEquals(3, keys.size());
        assertEquals(Boolean.TRUE, list.path("data.key_info.'" + a + "'.is_default"));
        assertEquals("ca-2026", list.path("data.key_info.'" + b + "'.issuer_name"));
        assertEquals("", list.path("data.key_info.'" + c + "'.issuer_name"));
        assertThat(list.path("data.key_info.'" + c + "'.public_key"), startsWith("ssh-ed25519 "));
        Response paged = DevServer.root().queryParam("after", keys.get(0)).queryParam("limit", 1)
                .request("LIST", "/v1/" + m + "/issuers");
        assertEquals(List.of(keys.get(1)), paged.path("data.keys"));

        // references: ID, name, default (any case, with spaces)
        for (String ref : List.of(b, "ca-2026")) {
            DevServer.root().get("/v1/" + m + "/issuer/" + ref).then().statusCode(200)
                    .body("data.issuer_id", equalTo(b)).body("data.issuer_name", equalTo("ca-2026"));
        }
        DevServer.root().get("/v1/" + m + "/issuer/DEFAULT").then().statusCode(200).body("data.issuer_id", equalTo(a));
        DevServer.root().get("/v1/" + m + "/issuer/nope").then().statusCode(400)
                .body("errors", contains("unable to find issuer for reference: nope"));
        DevServer.root().get("/v1/" + m + "/issuer/bad@ref").then().statusCode(404);
        DevServer.anonymous().get("/v1/" + m + "/issuer/nope/public_key").then().statusCode(400)
                .body("errors", contains("unable to find issuer for reference: nope"));
        DevServer.root().contentType("application/merge-patch+json").body("{\"issuer_name\":\"x\"}")
                .patch("/v1/" + m + "/issuer/" + b).then().statusCode(405); // OpenBao registers no patch here
        String raw = DevServer.anonymous().get("/v1/" + m + "/issuer/ca-2026/public_key").then().statusCode(200)
                .contentType(startsWith("text/plain")).extract().asString();
        assertEquals(list.path("data.key_info.'" + b + "'.public_key"), raw);

        // rename: to a free name; to its own name; to a taken one; no name clears it (as OpenBao)
        post(m, "issuer/" + c, "{\"issuer_name\":\"ca-spare\"}").then().statusCode(200)
                .body("data.issuer_name", equalTo("ca-spare"));
        post(m, "issuer/ca-spare", "{\"issuer_name\":\"ca-spare\"}").then().statusCode(200);
        post(m, "issuer/ca-spare", "{\"issuer_name\":\"ca-2026\"}").then().statusCode(400)
                .body("errors", contains("issuer name already in use"));
        post(m, "issuer/ca-spare", "{}").then().statusCode(200).body("data.issuer_name", equalTo(""));
        generate(m, "ca-spare", ""); // the cleared name is free again

        // delete: unknown is 204; the default while others exist is refused; a plain one goes
        DevServer.root().delete("/v1/" + m + "/issuer/never-was").then().statusCode(204);
        DevServer.root().delete("/v1/" + m + "/issuer/" + a).then().statusCode(400)
                .body("errors[0]", containsString("is the default: make another issuer the default"));
        DevServer.root().delete("/v1/" + m + "/issuer/" + c).then().statusCode(204);
        DevServer.root().get("/v1/" + m + "/issuer/" + c).then().statusCode(400);
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            issuers/import/default | {"key_type":"ed25519"}                                   | reserved keyword 'default' can not be used as issuer name
            issuers/import/taken   | {"key_type":"ed25519"}                                   | issuer name already in use
            issuers/import/x       | {"generate_signing_key":true,"public_key":"ssh-ed25519 AAAA"} | public_key and private_key must not be set when generate_signing_key is set to true
            issuers/import/x       | {"generate_signing_key":false}                           | missing public_key
            issuers/import/x       | {"public_key":"ssh-ed25519 AAAA"}                        | only one of public_key and private_key set; both must be set to use, or both must be blank to auto-generate
            issuers/import/x       | {"public_key":"not a key","private_key":"not a key"}     | could not parse public_key provided value:
            issuers/import/x       | {"public_key":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFH7mvYd5Q8Yv0cR2tj9gQmXcWcCzkU8pZ8m3fB6lH0y","private_key":"not a key"} | could not parse private_key provided value:
            issuer/taken           | {"issuer_name":""}                                       | expected non-empty issuer name
            issuer/taken           | {"issuer_name":"bad name!"}                              | issuer name contained invalid characters
            issuer/taken           | {"issuer_name":"Default"}                                | reserved keyword 'default' can not be used as issuer name
            config/issuers         | {"default":""}                                           | invalid issuer specification; must be non-empty and can't be 'default'.
            config/issuers         | {"default":" default "}                                  | invalid issuer specification; must be non-empty and can't be 'default'.
            config/issuers         | {"default":"nope"}                                       | error resolving issuer reference: unable to find issuer for reference: nope
            roles/pinned           | {"key_type":"ca","allow_user_certificates":true,"issuer_ref":"nope"} | unable to find issuer for reference: nope
            """)
    void refusalsAreOpenBaosWords(String path, String body, String error) {
        String m = DevServer.enableSsh("issuer-errors");
        generate(m, "taken", "");
        Response r = post(m, path, body);
        r.then().statusCode(400);
        assertThat(r.path("errors[0]"), startsWith(error));
        assertEquals(1, DevServer.root().request("LIST", "/v1/" + m + "/issuers").jsonPath().getList("data.keys").size(),
                "nothing was made");
    }

    @Test
    void noIssuerAtAllIsOpenBaosAnswerOnTheNewPathsAndVaultsOnTheOld() {
        String m = DevServer.enableSsh("no-issuers");
        for (String path : List.of("config/issuers", "issuer/default")) {
            DevServer.root().get("/v1/" + m + "/" + path).then().statusCode(400)
                    .body("errors", contains("no default issuer currently configured"));
        }
        DevServer.root().get("/v1/" + m + "/config/ca").then().statusCode(400)
                .body("errors", contains("keys haven't been configured yet"));
        DevServer.anonymous().get("/v1/" + m + "/public_key").then().statusCode(404);
        DevServer.anonymous().get("/v1/" + m + "/issuers/public_keys").then().statusCode(200).body(equalTo(""));
        DevServer.root().delete("/v1/" + m + "/config/ca").then().statusCode(204);
    }

    @Test
    void setDefaultAndConfigIssuersMoveTheDefaultWithOpenBaosWarnings() {
        String m = DevServer.enableSsh("issuer-default");
        String a = generate(m, "one", "");
        String b = generate(m, "two", ",\"set_default\":true");
        DevServer.root().get("/v1/" + m + "/config/issuers").then().body("data.default", equalTo(b));
        post(m, "config/issuers", "{\"default\":\"two\"}").then().statusCode(200).body("data", nullValue())
                .body("warnings", contains("The default issuer is already set to the specified issuer."));
        post(m, "config/issuers", "{\"default\":\"one\"}").then().statusCode(200).body("data.default", equalTo(a))
                .body("warnings", contains("Previous default (" + b + ") has been updated with the issuer 'one' (resolved to "
                        + a + ")"));
        post(m, "config/issuers", "{\"default\":\"" + b + "\"}").then().statusCode(200)
                .body("warnings", contains("Previous default (" + a + ") has been updated with the issuer '" + b + "'"));
    }

    /** Every key type the CA takes, generated or imported, makes an issuer that signs. */
    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            generate | ssh-rsa             | 2048
            generate | ecdsa-sha2-nistp256 | 0
            generate | ecdsa-sha2-nistp384 | 0
            generate | ecdsa-sha2-nistp521 | 0
            generate | ed25519             | 0
            import   | rsa                 | 3072
            import   | ecdsa               | 256
            import   | ecdsa               | 384
            import   | ecdsa               | 521
            import   | ed25519             | 0
            """)
    void everyKeyTypeMakesAnIssuerThatSigns(String how, String type, int bits) throws Exception {
        String m = DevServer.enableSsh("issuer-types");
        generate(m, "first", ""); // so that the one under test is not the default
        Response made;
        if (how.equals("generate")) {
            made = post(m, "issuers/import/under-test", "{\"key_type\":\"" + type + "\",\"key_bits\":" + bits + "}");
        } else {
            dev.latchkey.testing.SshKeygen.KeyPair pair = dev.latchkey.testing.SshKeygen.generate(
                    java.nio.file.Files.createTempDirectory("issuer"), "ca", type, bits);
            made = post(m, "issuers/import/under-test", "{\"public_key\":"
                    + dev.latchkey.api.testing.JsonText.quote(pair.publicKeyText()) + ",\"private_key\":"
                    + dev.latchkey.api.testing.JsonText.quote(pair.privateKeyText()) + "}");
        }
        made.then().statusCode(200);
        String id = made.path("data.issuer_id");
        String publicKey = made.path("data.public_key");
        Requests.role(m, "pinned", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"issuer_ref\":\"under-test\"}");
        Response signed = post(m, "issue/pinned", "{\"key_type\":\"ed25519\",\"valid_principals\":\"alice\"}");
        signed.then().statusCode(200).body("data.issuer_id", equalTo(id));
        // the certificate's signature key is the issuer's: its blob is inside the certificate's wire form
        String caBlob = publicKey.strip().split("\\s+")[1];
        byte[] cert = java.util.Base64.getDecoder().decode(((String) signed.path("data.signed_key")).strip().split(" ")[1]);
        byte[] ca = java.util.Base64.getDecoder().decode(caBlob);
        assertEquals(true, indexOf(cert, ca) >= 0, "signed by the issuer's key");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void importingAKeyAlreadyThereReturnsItsIssuer() throws Exception {
        String m = DevServer.enableSsh("issuer-dup");
        dev.latchkey.testing.SshKeygen.KeyPair pair = dev.latchkey.testing.SshKeygen.generate(
                java.nio.file.Files.createTempDirectory("dup"), "ca", "ed25519", 0);
        String body = "{\"public_key\":" + dev.latchkey.api.testing.JsonText.quote(pair.publicKeyText())
                + ",\"private_key\":" + dev.latchkey.api.testing.JsonText.quote(pair.privateKeyText()) + "}";
        String first = post(m, "issuers/import/imported", body).then().statusCode(200).extract().path("data.issuer_id");
        post(m, "issuers/import/again", body).then().statusCode(200)
                .body("data.issuer_id", equalTo(first)).body("data.issuer_name", equalTo("imported"))
                .body("warnings", contains("An issuer with the provided public key already exists, returning the existing issuer"));
        assertEquals(1, DevServer.root().request("LIST", "/v1/" + m + "/issuers").jsonPath().getList("data.keys").size());
    }

    @Test
    void rolesSignWithTheirIssuerAndKeepItFromBeingDeleted() {
        String m = DevServer.enableSsh("issuer-roles");
        String a = generate(m, "old", "");
        String b = generate(m, "new", "");
        Requests.role(m, "follows", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        Requests.role(m, "pinned", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"issuer_ref\":\"new\"}");
        DevServer.root().get("/v1/" + m + "/roles/follows").then().body("data.issuer_ref", equalTo("default"));
        DevServer.root().get("/v1/" + m + "/roles/pinned").then().body("data.issuer_ref", equalTo("new"));
        Response list = DevServer.root().request("LIST", "/v1/" + m + "/roles");
        assertEquals(Map.of("key_type", "ca", "issuer_ref", "new"), list.path("data.key_info.pinned"));

        String body = "{\"key_type\":\"ed25519\",\"valid_principals\":\"alice\"}";
        post(m, "issue/follows", body).then().statusCode(200).body("data.issuer_id", equalTo(a));
        post(m, "issue/pinned", body).then().statusCode(200).body("data.issuer_id", equalTo(b));
        DevServer.root().delete("/v1/" + m + "/issuer/new").then().statusCode(400)
                .body("errors[0]", containsString("is still used by roles [pinned]"));
        post(m, "config/issuers", "{\"default\":\"new\"}").then().statusCode(200);
        post(m, "issue/follows", body).then().statusCode(200).body("data.issuer_id", equalTo(b));

        // renaming the pinned role's issuer warns that the role now names nothing
        post(m, "issuer/new", "{\"issuer_name\":\"newer\"}").then().statusCode(200)
                .body("warnings", contains("1 roles reference 'new'"));
        post(m, "issue/pinned", body).then().statusCode(400)
                .body("errors", contains("unable to find issuer for reference: new"));
        DevServer.root().delete("/v1/" + m + "/issuer/old").then().statusCode(204);
    }

    @Test
    void theLegacyPathsKeepVaultsAnswersOnAMountWithIssuers() {
        String m = DevServer.enableSsh("issuer-legacy");
        Response made = post(m, "config/ca", "{\"key_type\":\"ed25519\"}");
        made.then().statusCode(200);
        assertEquals(Map.of("public_key", made.path("data.public_key")), made.path("data"), "Vault's answer, exactly");
        post(m, "config/ca", "{\"key_type\":\"ed25519\"}").then().statusCode(400)
                .body("errors", contains("keys are already configured; delete them before reconfiguring"));
        String legacyId = DevServer.root().get("/v1/" + m + "/config/issuers").path("data.default");
        DevServer.root().get("/v1/" + m + "/issuer/" + legacyId).then().body("data.issuer_name", equalTo(""));

        String second = generate(m, "next", ",\"set_default\":true");
        DevServer.root().get("/v1/" + m + "/config/ca").then().statusCode(200)
                .body("data.public_key", equalTo(DevServer.root().get("/v1/" + m + "/issuer/next").path("data.public_key")));
        assertEquals(DevServer.root().get("/v1/" + m + "/issuer/" + second).path("data.public_key"),
                DevServer.anonymous().get("/v1/" + m + "/public_key").asString());
        DevServer.root().delete("/v1/" + m + "/config/ca").then().statusCode(400)
                .body("errors[0]", startsWith("this mount has 2 issuers: delete them one at a time"));

        post(m, "config/issuers", "{\"default\":\"" + legacyId + "\"}").then().statusCode(200);
        DevServer.root().delete("/v1/" + m + "/issuer/next").then().statusCode(204);
        DevServer.root().delete("/v1/" + m + "/config/ca").then().statusCode(204);
        DevServer.root().request("LIST", "/v1/" + m + "/issuers").then().statusCode(404);
    }

    @Test
    void thePublicKeysDocumentListsTheDefaultFirstAndAnswers304WhileUnchanged() {
        String m = DevServer.enableSsh("issuer-doc");
        generate(m, "zeta", "");
        generate(m, "alpha", ",\"set_default\":true");
        String noName = generate(m, "", "");
        Response doc = DevServer.anonymous().get("/v1/" + m + "/issuers/public_keys");
        doc.then().statusCode(200).contentType(startsWith("text/plain"));
        List<String> lines = doc.asString().lines().toList();
        assertEquals(3, lines.size());
        assertThat(lines.get(0), matchesPattern("ssh-ed25519 AAAA\\S+ alpha"));
        assertThat(doc.asString(), containsString(" zeta\n"));
        assertThat(doc.asString(), containsString(" issuer-" + noName + "\n"));
        String etag = doc.header("ETag");
        assertThat(etag, matchesPattern("\"[0-9a-f]{32}\""));
        DevServer.anonymous().header("If-None-Match", etag).get("/v1/" + m + "/issuers/public_keys").then()
                .statusCode(304).header("ETag", etag).body(equalTo(""));
        DevServer.anonymous().header("If-None-Match", "\"something-else\"").get("/v1/" + m + "/issuers/public_keys")
                .then().statusCode(200);
        generate(m, "beta", "");
        Response changed = DevServer.anonymous().header("If-None-Match", etag).get("/v1/" + m + "/issuers/public_keys");
        changed.then().statusCode(200);
        assertNotEquals(etag, changed.header("ETag"));
        assertEquals(4, changed.asString().lines().count());
    }
}
