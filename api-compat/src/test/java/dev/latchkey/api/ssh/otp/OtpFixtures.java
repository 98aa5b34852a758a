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

/** Small shared steps for the OTP integration tests: every call is real HTTP to the dev server. */
final class OtpFixtures {
    /** §3.4.4: 16 random bytes as lowercase hex in UUID layout. */
    static final Pattern OTP_LAYOUT =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    /** §1.1: what the engine answers for a path none of its patterns match. */
    static final String UNSUPPORTED_PATH = "1 error occurred:\n\t* unsupported path\n\n";
    static final String UNSUPPORTED_OPERATION = "1 error occurred:\n\t* unsupported operation\n\n";

    private OtpFixtures() {
    }

    /** Writes a role with a raw JSON body and insists on §3.2.1's 204. */
    static void role(String mount, String name, String json) {
        Response r = writeRole(mount, name, json);
        if (r.statusCode() != 204) {
            throw new AssertionError("role write " + name + " answered " + r.statusCode() + " " + r.asString());
        }
    }

    /** An OTP role with the given lists (use "" for none). */
    static void otpRole(String mount, String name, String defaultUser, String cidrList, String excludeCidrList) {
        role(mount, name, "{\"key_type\":\"otp\",\"default_user\":" + q(defaultUser) + ",\"cidr_list\":" + q(cidrList)
                + ",\"exclude_cidr_list\":" + q(excludeCidrList) + "}");
    }

    static Response writeRole(String mount, String name, String json) {
        return DevServer.root().contentType("application/json").body(json)
                .post("/v1/" + mount + "/roles/" + name).andReturn();
    }

    static void zeroAddress(String mount, String rolesJson) {
        DevServer.root().contentType("application/json").body("{\"roles\":" + rolesJson + "}")
                .post("/v1/" + mount + "/config/zeroaddress").then().statusCode(204);
    }

    static Response creds(String mount, String role, String json) {
        return DevServer.root().contentType("application/json").body(json)
                .post("/v1/" + mount + "/creds/" + role).andReturn();
    }

    /** Mints an OTP for {@code ip} (default user) and returns the whole answer, failing unless 200. */
    static JsonPath mint(String mount, String role, String ip) {
        Response r = creds(mount, role, "{\"ip\":" + q(ip) + "}");
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

    /** {@code PUT /v1/<mount>/verify} the way vault-ssh-helper's Go client sends it (§5). */
    static HttpRequest helperVerifyRequest(String mount, String otp, String vaultToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(DevServer.baseUri() + "/v1/" + mount + "/verify"))
                .timeout(Duration.ofSeconds(30))
                .header("X-Vault-Request", "true")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"otp\":" + q(otp) + "}"));
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

    /** A JSON string literal (quotes, backslashes and control characters escaped). */
    static String q(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
