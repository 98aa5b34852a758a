package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.math.BigInteger;
import java.time.Instant;

import static dev.latchkey.api.testing.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/** Shared steps of the CA tests over HTTP: every call is real HTTP to the dev server. */
final class CaFixtures {
    private CaFixtures() {
    }

    static Response postAs(String token, String mount, String path, String json) {
        return DevServer.anonymous().header("X-Vault-Token", token).contentType("application/json").body(json)
                .post("/v1/" + mount + "/" + path).andReturn();
    }

    /** Generates the mount's CA ({@code config/ca}) and returns the public key text. */
    static String generateCa(String mount, String json) {
        Response r = post(mount, "config/ca", json);
        if (r.statusCode() != 200) {
            throw new AssertionError("config/ca answered " + r.statusCode() + " " + r.asString());
        }
        return r.jsonPath().getString("data.public_key");
    }

    /** A mount with a freshly generated Ed25519 CA (fast). */
    static String mountWithEd25519Ca(String hint) {
        String mount = DevServer.enableSsh(hint);
        generateCa(mount, "{\"key_type\":\"ed25519\"}");
        return mount;
    }

    /** Insists on 200 with Vault's envelope for a certificate (never leased); returns the whole answer. */
    static JsonPath ok(Response r) {
        if (r.statusCode() != 200) {
            throw new AssertionError("answered " + r.statusCode() + " " + r.asString());
        }
        JsonPath j = r.jsonPath();
        assertThat(r.asString(), j.getString("lease_id"), is(""));
        assertThat(r.asString(), j.getInt("lease_duration"), is(0));
        assertThat(r.asString(), j.getBoolean("renewable"), is(false));
        assertThat(r.asString(), j.getString("data.serial_number"), matchesPattern("^(0|[1-9a-f][0-9a-f]{0,15})$"));
        return j;
    }

    /** The serial (Vault's {@code serial_number} is lowercase hex) as ssh-keygen prints it: unsigned decimal. */
    static String unsignedDecimal(String hex) {
        return new BigInteger(hex, 16).toString();
    }

    static long nowSeconds() {
        return Instant.now().getEpochSecond();
    }
}
