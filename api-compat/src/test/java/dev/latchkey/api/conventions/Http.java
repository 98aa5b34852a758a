package dev.latchkey.api.conventions;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;

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
        return Requests.json(root(), body);
    }

    /** A fresh ssh mount with OTP roles on 10.0.0.0/8, given as pairs: {@code "web", "ubuntu", "db", "postgres"}. */
    static String mountWithOtpRoles(String hint, String... namesAndDefaultUsers) {
        String mount = DevServer.enableSsh(hint);
        for (int i = 0; i < namesAndDefaultUsers.length; i += 2) {
            Requests.otpRole(mount, namesAndDefaultUsers[i], namesAndDefaultUsers[i + 1], "10.0.0.0/8", "");
        }
        return mount;
    }
}
