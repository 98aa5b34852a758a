package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

import static dev.latchkey.api.testing.JsonText.quote;

/** Small shared steps for the OTP integration tests: every call is real HTTP to the dev server. */
final class OtpFixtures {
    /** Vault's OTP: 16 random bytes as lowercase hex in UUID layout. */
    static final Pattern OTP_LAYOUT =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private OtpFixtures() {
    }

    static Response creds(String mount, String role, String json) {
        return DevServer.root().contentType("application/json").body(json)
                .post("/v1/" + mount + "/creds/" + role).andReturn();
    }

    /** Mints an OTP for {@code ip} (default user) and returns the whole answer, failing unless 200. */
    static JsonPath mint(String mount, String role, String ip) {
        Response r = creds(mount, role, "{\"ip\":" + quote(ip) + "}");
        if (r.statusCode() != 200) {
            throw new AssertionError("creds answered " + r.statusCode() + " " + r.asString());
        }
        return r.jsonPath();
    }

    static Response verify(String mount, String otpJsonValue) {
        return DevServer.anonymous().contentType("application/json").body("{\"otp\":" + otpJsonValue + "}")
                .post("/v1/" + mount + "/verify").andReturn();
    }

    /** A plain JDK client pinned to HTTP/1.1 (no h2c upgrade attempt), as the Go client speaks it. */
    static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** {@code PUT /v1/<mount>/verify} the way vault-ssh-helper's Go client sends it. */
    static HttpRequest helperVerifyRequest(String mount, String otp, String vaultToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(DevServer.baseUri() + "/v1/" + mount + "/verify"))
                .timeout(Duration.ofSeconds(30))
                .header("X-Vault-Request", "true")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"otp\":" + quote(otp) + "}"));
        if (vaultToken != null) {
            b.header("X-Vault-Token", vaultToken);
        }
        return b.build();
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request.uri(), e);
        }
    }
}
