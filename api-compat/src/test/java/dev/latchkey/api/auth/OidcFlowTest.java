package dev.latchkey.api.auth;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OIDC browser flow against a real OIDC provider on loopback (mock-oauth2-server), driven as
 * {@code vault login -method=oidc} drives it: {@code oidc/auth_url} with the CLI's redirect URI and
 * a client nonce, the provider's authorisation redirect (which a browser would follow), then
 * {@code oidc/callback} with the state and code.
 */
class OidcFlowTest {
    private static final String REDIRECT = "http://localhost:8250/oidc/callback";
    private static MockOAuth2Server idp;
    private static String mount;

    @BeforeAll
    static void setUp() throws Exception {
        idp = new MockOAuth2Server(new Route[0]);
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        mount = "oidc-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"type\":\"oidc\"}").post("/v1/sys/auth/" + mount).then().statusCode(204);
        json(DevServer.root(), "{\"oidc_discovery_url\":\"" + issuer() + "\",\"oidc_client_id\":\"latchkey\","
                + "\"oidc_client_secret\":\"s3cret-client\",\"default_role\":\"sso\"}").post(path("config")).then().statusCode(204);
        json(DevServer.root(), "{\"user_claim\":\"email\",\"allowed_redirect_uris\":[\"" + REDIRECT + "\"],"
                + "\"bound_claims_type\":\"glob\",\"bound_claims\":{\"email\":\"*@example.com\"},"
                + "\"claim_mappings\":{\"name\":\"full_name\"},\"oidc_scopes\":\"email,profile\",\"token_policies\":\"sso-users\"}")
                .post(path("role/sso")).then().statusCode(204);
    }

    @AfterAll
    static void tearDown() {
        idp.shutdown();
    }

    private static String issuer() {
        String url = idp.issuerUrl("corp").toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String path(String rest) {
        return "/v1/auth/" + mount + "/" + rest;
    }

    /** The user the provider will sign in next. */
    private static void nextUser(String email) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "sub-" + email, "JWT", List.of("latchkey"),
                Map.of("email", email, "name", "Jane Doe"), 3600));
    }

    /** What the CLI's local listener would receive: the query of the provider's redirect after sign-in. */
    private static Map<String, String> signIn(String authUrl) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create(authUrl)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(REDIRECT), location);
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String authUrl(String clientNonce) {
        return json(DevServer.anonymous(), "{\"role\":\"sso\",\"redirect_uri\":\"" + REDIRECT + "\",\"client_nonce\":\""
                + clientNonce + "\"}").put(path("oidc/auth_url")).then().statusCode(200).extract().path("data.auth_url");
    }

    private static Response callback(Map<String, String> q, String clientNonce) {
        return DevServer.anonymous().queryParam("state", q.get("state")).queryParam("code", q.get("code"))
                .queryParam("id_token", "").queryParam("client_nonce", clientNonce).get(path("oidc/callback"));
    }

    @Test
    void theBrowserFlowLogsInAsTheProvidersUser() throws Exception {
        nextUser("jdoe@example.com");
        String url = authUrl("cn-1");
        org.hamcrest.MatcherAssert.assertThat(url, startsWith(issuer() + "/authorize?"));
        assertTrue(url.contains("code_challenge_method=S256") && url.contains("scope=openid+email+profile"), url);
        Map<String, String> q = signIn(url);
        Response in = callback(q, "cn-1");
        assertEquals(200, in.statusCode(), in.asString());
        in.then().statusCode(200).body("mount_type", equalTo("oidc"))
                .body("auth.metadata.role", equalTo("sso")).body("auth.metadata.full_name", equalTo("Jane Doe"))
                .body("auth.policies", contains("default", "sso-users"));
        DevServer.anonymous().header("X-Vault-Token", (String) in.path("auth.client_token")).get("/v1/auth/token/lookup-self")
                .then().statusCode(200).body("data.display_name", equalTo(mount + "-jdoe@example.com"));
        // the state is single-use: a replayed callback is refused
        callback(q, "cn-1").then().statusCode(400).body("errors", contains("Vault login failed. Expired or missing OAuth state."));
    }

    @Test
    void theFlowRefusesWhatVaultRefuses() throws Exception {
        // refused before the code is exchanged: the provider signs no one in for it
        Map<String, String> q = signIn(authUrl("cn-2"));
        Response wrong = callback(q, "another");
        assertEquals(400, wrong.statusCode(), wrong.asString());
        wrong.then().statusCode(400).body("errors", contains("invalid client_nonce"));

        nextUser("jdoe@other.example");
        callback(signIn(authUrl("cn-3")), "cn-3").then().statusCode(400).body("errors",
                contains("error validating claims: claim \"email\" does not match any associated bound claim values"));

        json(DevServer.anonymous(), "{\"role\":\"sso\",\"redirect_uri\":\"https://evil.example/cb\"}").put(path("oidc/auth_url"))
                .then().statusCode(200).body("data.auth_url", equalTo(""));
        json(DevServer.anonymous(), "{\"role\":\"sso\"}").put(path("oidc/auth_url")).then().statusCode(400)
                .body("errors", contains("missing redirect_uri"));
        json(DevServer.anonymous(), "{\"role\":\"nope\",\"redirect_uri\":\"" + REDIRECT + "\"}").put(path("oidc/auth_url"))
                .then().statusCode(400).body("errors", contains("role \"nope\" could not be found"));
        // a loopback redirect matches whatever its port, as the CLI may pick another
        json(DevServer.anonymous(), "{\"role\":\"sso\",\"redirect_uri\":\"http://localhost:9999/oidc/callback\"}")
                .put(path("oidc/auth_url")).then().statusCode(200).body("data.auth_url", startsWith(issuer()));
        // in browser-flow mode the mount takes no JWT logins, as in Vault
        json(DevServer.root(), "{\"role_type\":\"jwt\",\"user_claim\":\"sub\",\"bound_audiences\":\"latchkey\"}")
                .post(path("role/machines")).then().statusCode(204);
        json(DevServer.anonymous(), "{\"role\":\"machines\",\"jwt\":\"a.b.c\"}").put(path("login")).then().statusCode(400)
                .body("errors", contains("error configuring token validator: unsupported config type"));
        DevServer.anonymous().queryParam("state", "made-up").queryParam("code", "x").get(path("oidc/callback"))
                .then().statusCode(400).body("errors", contains("Vault login failed. Expired or missing OAuth state."));
    }
}
