package dev.latchkey.api.acl;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * {@code sys/policies/acl} and {@code sys/policy} against a running server, and a written policy
 * deciding a token's requests from the next request on.
 */
class PolicyPathsTest {
    private static final String DENIED = "1 error occurred:\n\t* permission denied\n\n";

    private static RequestSpecification json(RequestSpecification spec, String body) {
        return spec.contentType("application/json").body(body);
    }

    private static String token(String... policies) {
        StringBuilder list = new StringBuilder();
        for (String p : policies) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(p).append('"');
        }
        return json(DevServer.root(), "{\"policies\":[" + list + "]}").post("/v1/auth/token/create")
                .then().statusCode(200).extract().path("auth.client_token");
    }

    @Test
    void aWrittenPolicyDecidesTheTokensRequestsFromTheNextRequestOn() {
        String mount = DevServer.enableSsh("policy");
        Requests.otpRole(mount, "web");
        Requests.otpRole(mount, "db");
        String name = "otp-web-" + UUID.randomUUID().toString().substring(0, 8);
        String text = "# hosts of the web tier\npath \"" + mount + "/creds/web\" {\n  capabilities = [\"update\"]\n}\n";
        json(DevServer.root(), "{\"policy\":" + quote(text) + "}").put("/v1/sys/policies/acl/" + name)
                .then().statusCode(204);
        String token = token(name);
        RequestSpecification asToken = DevServer.anonymous().header("X-Vault-Token", token);

        json(asToken, "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/web").then().statusCode(200);
        json(DevServer.anonymous().header("X-Vault-Token", token), "{\"ip\":\"10.0.0.5\"}")
                .post("/v1/" + mount + "/creds/db").then().statusCode(403).body("errors", contains(DENIED));
        DevServer.anonymous().header("X-Vault-Token", token).get("/v1/sys/mounts")
                .then().statusCode(403).body("errors", contains(DENIED));
        DevServer.anonymous().header("X-Vault-Token", token).request("LIST", "/v1/sys/policies/acl")
                .then().statusCode(403);

        // read back byte for byte, on both paths
        DevServer.root().get("/v1/sys/policies/acl/" + name).then().statusCode(200)
                .body("data.name", equalTo(name)).body("data.policy", equalTo(text));
        DevServer.root().get("/v1/sys/policy/" + name).then().statusCode(200)
                .body("data.rules", equalTo(text)).body("rules", equalTo(text));

        // a deny on the same pattern, from the next request on
        String denied = "path \"" + mount + "/creds/web\" {\n  capabilities = [\"deny\"]\n}\n";
        json(DevServer.root(), "{\"policy\":" + quote(denied) + "}").put("/v1/sys/policies/acl/" + name)
                .then().statusCode(204);
        json(DevServer.anonymous().header("X-Vault-Token", token), "{\"ip\":\"10.0.0.5\"}")
                .post("/v1/" + mount + "/creds/web").then().statusCode(403).body("errors", contains(DENIED));

        DevServer.root().delete("/v1/sys/policies/acl/" + name).then().statusCode(204);
        DevServer.root().get("/v1/sys/policies/acl/" + name).then().statusCode(404);
    }

    @Test
    void listingsNameTheStoredPoliciesThenRoot() {
        String name = "listed-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"policy\":\"path \\\"secret/*\\\" { capabilities = [\\\"read\\\"] }\"}")
                .put("/v1/sys/policies/acl/" + name).then().statusCode(204);
        DevServer.root().request("LIST", "/v1/sys/policies/acl").then().statusCode(200)
                .body("data.keys", hasItems("default", name, "root"));
        DevServer.root().get("/v1/sys/policy").then().statusCode(200)
                .body("data.policies", hasItems("default", name, "root")).body("keys", hasItems(name, "root"));
        DevServer.root().get("/v1/sys/policies/acl").then().statusCode(405);
        DevServer.root().get("/v1/sys/policies/acl/root").then().statusCode(200).body("data.policy", equalTo(""));
    }

    @Test
    void writesAsVaultAnswersThem() {
        String upper = "Upper-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"read\\\"] }\"}")
                .put("/v1/sys/policies/acl/" + upper).then().statusCode(200)
                .body("warnings", contains("policy name was converted to " + upper.toLowerCase()));
        String spring = "spring-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"rules\":\"{\\\"path\\\":{\\\"a/*\\\":{\\\"capabilities\\\":[\\\"read\\\"]}}}\"}")
                .put("/v1/sys/policy/" + spring).then().statusCode(200)
                .body("warnings", contains("'rules' is deprecated, please use 'policy' instead"));
        DevServer.root().get("/v1/sys/policy/" + spring).then().statusCode(200)
                .body("data.rules", equalTo("{\"path\":{\"a/*\":{\"capabilities\":[\"read\"]}}}"));

        String bad = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"reed\\\"] }\"}")
                .put("/v1/sys/policies/acl/" + bad).then().statusCode(400)
                .body("errors", contains("failed to parse policy: path \"a\": invalid capability \"reed\""));
        DevServer.root().get("/v1/sys/policies/acl/" + bad).then().statusCode(404);
        json(DevServer.root(), "{}").put("/v1/sys/policies/acl/" + bad).then().statusCode(400)
                .body("errors", contains("'policy' parameter not supplied or empty"));

        json(DevServer.root(), "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"read\\\"] }\"}")
                .put("/v1/sys/policies/acl/root").then().statusCode(400)
                .body("errors", contains("cannot update \"root\" policy"));
        DevServer.root().delete("/v1/sys/policies/acl/root").then().statusCode(400)
                .body("errors", contains("cannot delete \"root\" policy"));
        DevServer.root().delete("/v1/sys/policies/acl/default").then().statusCode(400)
                .body("errors", contains("cannot delete default policy"));
        DevServer.root().delete("/v1/sys/policies/acl/never-written").then().statusCode(204);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
