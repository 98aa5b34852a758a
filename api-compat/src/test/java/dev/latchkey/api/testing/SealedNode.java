package dev.latchkey.api.testing;

import dev.latchkey.api.LatchkeyServer;
import dev.latchkey.api.NodeOptions;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.List;

/**
 * A production node ({@link LatchkeyServer#start}) started by a test on a free loopback port:
 * sealed, and uninitialised until the test initialises it. Each test owns its node and closes it.
 */
public final class SealedNode implements AutoCloseable {
    private final LatchkeyServer server;

    private SealedNode(LatchkeyServer server) {
        this.server = server;
    }

    /** A node in memory with the Shamir seal. */
    public static SealedNode start() {
        return start(NodeOptions.inMemory("127.0.0.1", 0));
    }

    public static SealedNode start(NodeOptions options) {
        return new SealedNode(LatchkeyServer.start(options));
    }

    public LatchkeyServer server() {
        return server;
    }

    public RequestSpecification anonymous() {
        return RestAssured.given().baseUri("http://127.0.0.1:" + server.port()).urlEncodingEnabled(true);
    }

    public RequestSpecification withToken(String token) {
        return anonymous().header("X-Vault-Token", token);
    }

    public Response put(String path, String json) {
        return anonymous().contentType("application/json").body(json).put("/v1/" + path).andReturn();
    }

    public Response put(String token, String path, String json) {
        return withToken(token).contentType("application/json").body(json).put("/v1/" + path).andReturn();
    }

    /** {@code PUT sys/init} with the body {@code vault operator init} sends for these shares; fails unless 200. */
    public JsonPath init(int shares, int threshold) {
        return ok(put("sys/init", "{\"secret_shares\":" + shares + ",\"secret_threshold\":" + threshold
                + ",\"stored_shares\":0,\"pgp_keys\":null,\"recovery_shares\":0,\"recovery_threshold\":0,"
                + "\"recovery_pgp_keys\":null,\"root_token_pgp_key\":\"\"}"));
    }

    /** {@code PUT sys/unseal} with one key, as {@code vault operator unseal} sends it. */
    public Response unseal(String key) {
        return put("sys/unseal", "{\"key\":\"" + key + "\",\"reset\":false,\"migrate\":false}");
    }

    /** Unseals with these keys, one request each; fails unless every answer is 200. */
    public JsonPath unsealWith(List<String> keys) {
        JsonPath last = null;
        for (String key : keys) {
            last = ok(unseal(key));
        }
        return last;
    }

    public static JsonPath ok(Response r) {
        if (r.statusCode() != 200) {
            throw new AssertionError("answered " + r.statusCode() + " " + r.asString());
        }
        return r.jsonPath();
    }

    @Override
    public void close() {
        server.close();
    }
}
