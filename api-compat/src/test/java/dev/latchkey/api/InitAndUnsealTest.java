package dev.latchkey.api;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code sys/init} and {@code sys/unseal} on a dev server, which starts initialised and unsealed:
 * what hvac's {@code is_initialized()}, {@code vault operator init -status} and
 * {@code vault operator unseal} get. Bare JSON, no token.
 */
class InitAndUnsealTest {
    private static Response put(String path, String body) {
        return DevServer.anonymous().contentType("application/json").body(body).put("/v1/" + path);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "hvs.invalid000000000000000000"})
    void initStatusIsTrueWithOrWithoutAToken(String token) {
        DevServer.anonymous().header("X-Vault-Token", token).get("/v1/sys/init").then().statusCode(200)
                .contentType("application/json").body("initialized", equalTo(true)).body("request_id", nullValue());
    }

    /** Vault checks the seal parameters, in this order, before it finds the server initialised. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"secret_shares":5,"secret_threshold":3}                       | Vault is already initialized
            {"secret_shares":1,"secret_threshold":1,"stored_shares":1}     | Vault is already initialized
            {}                                                             | invalid seal configuration: shares must be at least one
            {"secret_shares":3}                                            | invalid seal configuration: threshold must be at least one
            {"secret_shares":3,"secret_threshold":1}                       | invalid seal configuration: threshold must be greater than one for multiple shares
            {"secret_shares":256,"secret_threshold":3}                     | invalid seal configuration: shares must be less than 256
            {"secret_shares":3,"secret_threshold":4}                       | invalid seal configuration: threshold cannot be larger than shares
            {"secret_shares":5,"secret_threshold":3,"pgp_keys":["a"]}      | incorrect number of PGP keys
            {"secret_shares":5,"secret_threshold":3,"recovery_shares":5}   | parameters recovery_shares not applicable to seal type shamir
            {"recovery_shares":5,"recovery_threshold":3}                   | parameters recovery_shares,recovery_threshold not applicable to seal type shamir
            {"SECRET_SHARES":5,"Secret_Threshold":3}                       | Vault is already initialized
            {"secret_shares":"5","secret_threshold":3}                     | failed to parse JSON input: json: cannot unmarshal string into Go struct field InitRequest.secret_shares of type int
            {"secret_shares":5.5,"secret_threshold":3}                     | failed to parse JSON input: json: cannot unmarshal number 5.5 into Go struct field InitRequest.secret_shares of type int
            [1]                                                            | failed to parse JSON input: the body is not a JSON object
            """)
    void initialisingAnInitialisedServerIsRefused(String body, String error) {
        put("sys/init", body).then().statusCode(400).body("errors", contains(error));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"key":"000102030405060708090a0b0c0d0e0f"}                     | 200 |
            {"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}         | 200 |
            {"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","reset":false,"migrate":false} | 200 |
            {"reset":true}                                                 | 400 | vault is unsealed
            {}                                                             | 400 | 'key' must be specified in request body as JSON, or 'reset' set to true
            {"key":""}                                                     | 400 | 'key' must be specified in request body as JSON, or 'reset' set to true
            {"key":"not a key!"}                                           | 400 | 'key' must be a valid hex or base64 string
            {"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"}          | 400 | 'key' must be a valid hex or base64 string
            {"key":"00010203"}                                             | 400 | invalid key: key is shorter than minimum 16 bytes
            {"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygp"} | 400 | invalid key: key is longer than maximum 33 bytes
            {"key":5}                                                      | 400 | failed to parse JSON input: json: cannot unmarshal number into Go struct field UnsealRequest.key of type string
            """)
    void unsealingAnUnsealedServerAnswersItsStatus(String body, int status, String error) {
        Response r = put("sys/unseal", body);
        if (status == 200) {
            r.then().statusCode(200).contentType("application/json")
                    .body("sealed", equalTo(false)).body("initialized", equalTo(true))
                    .body("progress", equalTo(0)).body("nonce", equalTo(""));
        } else {
            r.then().statusCode(status).body("errors", contains(error));
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            DELETE | sys/init
            GET    | sys/unseal
            DELETE | sys/unseal
            """)
    void otherMethodsAre405(String method, String path) {
        DevServer.anonymous().request(method, "/v1/" + path).then().statusCode(405);
    }
}
