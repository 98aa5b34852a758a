package dev.latchkey.api.conventions;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.latchkey.testing.VaultErrors.INVALID_TOKEN;
import static dev.latchkey.testing.VaultErrors.PERMISSION_DENIED;
import static dev.latchkey.testing.VaultErrors.UNSUPPORTED_OPERATION;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/** Vault's token headers, its unauthenticated paths and its 403 bodies. */
@Timeout(60)
class HttpConventionsAuthTest {
    /** Well-formed (hvs. + 24 base62) but never issued. */
    private static final String UNKNOWN_TOKEN = "hvs.AbCdEfGhIjKlMnOpQrStUvWx";
    private static String mount;
    private static String rolePath;

    @BeforeAll
    static void mountWithRole() {
        mount = DevServer.enableSsh("auth");
        Requests.role(mount, "web", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\"}");
        rolePath = "/v1/" + mount + "/roles/web";
    }

    private static String root() {
        return DevServer.rootToken();
    }

    @Test
    void aMissingTokenIs403PermissionDeniedExactly() {
        Response r = Http.anonymous().get(rolePath);
        assertThat(r.statusCode(), is(403));
        assertThat(r.header("Content-Type"), equalTo("application/json"));
        assertThat(r.header("Cache-Control"), equalTo("no-store"));
        assertThat(r.asString(), equalTo("{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}\n"));
        assertThat(r.jsonPath().getList("errors"), contains(PERMISSION_DENIED));
    }

    @Test
    void anUnknownTokenIs403WithPermissionDeniedAndInvalidToken() {
        for (String token : List.of(UNKNOWN_TOKEN, "not-a-token", "s.legacyStyleToken12345")) {
            Response r = Http.anonymous().header("X-Vault-Token", token).get(rolePath);
            assertThat(r.statusCode(), is(403));
            assertThat(r.asString(), equalTo(
                    "{\"errors\":[\"2 errors occurred:\\n\\t* permission denied\\n\\t* invalid token\\n\\n\"]}\n"));
            assertThat(r.jsonPath().getList("errors"), contains(INVALID_TOKEN));
        }
    }

    @Test
    void bearerAloneAuthenticates() {
        Http.anonymous().header("Authorization", "Bearer " + root()).get(rolePath).then()
                .statusCode(200).body("data.default_user", equalTo("ubuntu"));
        // the rest of the value after "Bearer " is trimmed
        Http.anonymous().header("Authorization", "Bearer    " + root() + "  ").get(rolePath).then()
                .statusCode(200).body("data.default_user", equalTo("ubuntu"));
    }

    @Test
    void xVaultTokenTakesPrecedenceOverBearer() {
        Http.anonymous().header("X-Vault-Token", root()).header("Authorization", "Bearer " + UNKNOWN_TOKEN)
                .get(rolePath).then().statusCode(200).body("data.default_user", equalTo("ubuntu"));
        Http.anonymous().header("X-Vault-Token", UNKNOWN_TOKEN).header("Authorization", "Bearer " + root())
                .get(rolePath).then().statusCode(403).body("errors", contains(INVALID_TOKEN));
    }

    @Test
    void anEmptyXVaultTokenFallsBackToBearer() throws Exception {
        RawHttp.Answer a = RawHttp.send("GET " + rolePath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "X-Vault-Token: \r\nAuthorization: Bearer " + root(), null);
        assertThat(a.toString(), a.status(), is(200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic ", "bearer ", "BEARER ", "Bearer", "Token ", "Bearer\t", ""})
    void otherAuthorizationSchemesAreIgnored(String scheme) {
        Http.anonymous().header("Authorization", scheme + root()).get(rolePath).then()
                .statusCode(403).body("errors", contains(PERMISSION_DENIED));
    }

    @Test
    void unauthenticatedPathsSucceedWithoutAToken() {
        Http.anonymous().contentType("application/json").body("{\"otp\":\"verify-echo-request\"}")
                .post("/v1/" + mount + "/verify").then().statusCode(200)
                .body("data.message", equalTo("verify-echo-response")).body("mount_type", equalTo("ssh"));
        Http.anonymous().get("/v1/sys/health").then().statusCode(200).body("initialized", equalTo(true));
    }

    @Test
    void unauthenticatedPathsSucceedEvenWithAnInvalidToken() {
        for (String token : List.of(UNKNOWN_TOKEN, "garbage")) {
            Http.anonymous().header("X-Vault-Token", token).contentType("application/json")
                    .body("{\"otp\":\"verify-echo-request\"}").post("/v1/" + mount + "/verify").then()
                    .statusCode(200).body("data.message", equalTo("verify-echo-response"));
            Http.anonymous().header("Authorization", "Bearer " + token).contentType("application/json")
                    .body("{\"otp\":\"verify-echo-request\"}").post("/v1/" + mount + "/verify").then()
                    .statusCode(200).body("data.message", equalTo("verify-echo-response"));
            Http.anonymous().header("X-Vault-Token", token).get("/v1/sys/health").then()
                    .statusCode(200).body("sealed", equalTo(false));
            Http.anonymous().header("X-Vault-Token", token).get("/v1/sys/seal-status").then().statusCode(200);
        }
        // an unknown OTP is still the engine's answer, not an auth failure
        Http.anonymous().header("X-Vault-Token", UNKNOWN_TOKEN).contentType("application/json")
                .body("{\"otp\":\"6d6411fd-f622-ea0a-7e2c-989a745cbbb2\"}").post("/v1/" + mount + "/verify").then()
                .statusCode(400).body("errors", equalTo(List.of("OTP not found")));
    }

    @Test
    void anUnauthenticatedPathStillRefusesOtherMethods() {
        Http.anonymous().get("/v1/" + mount + "/verify").then().statusCode(405)
                .body("errors", contains(UNSUPPORTED_OPERATION));
    }

    @Test
    void theOtherEnginePathsNeedAToken() {
        for (String path : List.of("creds/web", "lookup", "config/zeroaddress")) {
            Http.anonymous().contentType("application/json").body("{\"ip\":\"10.0.0.1\"}")
                    .post("/v1/" + mount + "/" + path).then().statusCode(403).body("errors", contains(PERMISSION_DENIED));
        }
        Http.anonymous().request("LIST", "/v1/" + mount + "/roles").then().statusCode(403)
                .body("errors", contains(PERMISSION_DENIED));
        Http.anonymous().delete(rolePath).then().statusCode(403).body("errors", contains(PERMISSION_DENIED));
        Http.root().get(rolePath).then().statusCode(200);
    }

    @Test
    void xVaultRequestAndNamespaceHeadersAreAcceptedAndTheNamespaceEchoed() {
        Http.root().header("X-Vault-Request", "true").header("X-Vault-Namespace", "team-a/")
                .get(rolePath).then().statusCode(200).header("X-Vault-Namespace", "team-a/");
    }
}
