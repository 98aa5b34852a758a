package dev.latchkey.api.conventions;

import dev.latchkey.api.testing.DevServer;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;

import java.util.List;

/**
 * REST Assured requests for the convention tests: client timeouts (a hung server fails the test),
 * redirects not followed (301s are asserted), content types sent exactly as given.
 */
final class Http {
    static final RestAssuredConfig CONFIG = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.connection.timeout", 10_000)
                    .setParam("http.socket.timeout", 30_000))
            .redirect(RedirectConfig.redirectConfig().followRedirects(false))
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    /** Vault's body for "permission denied" (spec §1.6). */
    static final List<String> PERMISSION_DENIED = List.of("1 error occurred:\n\t* permission denied\n\n");
    /** Vault's body for an unknown, expired or revoked token (spec §1.6, releases after 1.14). */
    static final List<String> INVALID_TOKEN = List.of("2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n");
    static final List<String> UNSUPPORTED_PATH = List.of("1 error occurred:\n\t* unsupported path\n\n");
    static final List<String> UNSUPPORTED_OPERATION = List.of("1 error occurred:\n\t* unsupported operation\n\n");
    /** The exact body of a read or list that found nothing (spec §1.5), with the encoder's newline. */
    static final String EMPTY_ERRORS = "{\"errors\":[]}\n";
    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private Http() {
    }

    /** With the root token. */
    static RequestSpecification root() {
        return DevServer.root().config(CONFIG);
    }

    /** Without any token. */
    static RequestSpecification anonymous() {
        return DevServer.anonymous().config(CONFIG);
    }

    /** Root token, JSON body. */
    static RequestSpecification json(String body) {
        return root().contentType("application/json").body(body);
    }

    /** Writes an OTP role and expects 204. */
    static void otpRole(String mount, String role, String body) {
        json(body).post("/v1/" + mount + "/roles/" + role).then().statusCode(204);
    }
}
