package dev.latchkey.api.acl;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.JsonText;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static dev.latchkey.api.testing.Requests.json;

/** Policies and tokens for the ACL tests, written as root through the HTTP API. */
final class AclFixtures {
    /** Vault's body for a request its ACL refuses. */
    static final String DENIED = "1 error occurred:\n\t* permission denied\n\n";

    private AclFixtures() {
    }

    /** Writes a policy under a fresh name made from {@code hint}; returns the name. */
    static String policy(String hint, String text) {
        String name = hint + "-" + UUID.randomUUID().toString().substring(0, 8);
        write(name, text);
        return name;
    }

    static void write(String name, String text) {
        json(DevServer.root(), "{\"policy\":" + JsonText.quote(text) + "}").put("/v1/sys/policies/acl/" + name)
                .then().statusCode(204);
    }

    /** A token with exactly these policies (and {@code default}), made by root. */
    static String token(String... policies) {
        return token(Map.of(), policies);
    }

    /** A token with these policies and this metadata, made by root. */
    static String token(Map<String, String> meta, String... policies) {
        StringBuilder list = new StringBuilder();
        for (String p : policies) {
            list.append(list.length() == 0 ? "" : ",").append(JsonText.quote(p));
        }
        StringBuilder metaJson = new StringBuilder();
        meta.forEach((k, v) -> metaJson.append(metaJson.length() == 0 ? "" : ",").append(JsonText.quote(k)).append(':')
                .append(JsonText.quote(v)));
        return json(DevServer.root(), "{\"policies\":[" + list + "],\"meta\":{" + metaJson + "}}")
                .post("/v1/auth/token/create").then().statusCode(200).extract().path("auth.client_token");
    }

    /** A request made with this token. */
    static RequestSpecification as(String token) {
        return DevServer.anonymous().header("X-Vault-Token", token);
    }

    /** A path block granting these capabilities, e.g. {@code rule("ssh/creds/*", "update")}. */
    static String rule(String path, String... capabilities) {
        StringBuilder caps = new StringBuilder();
        for (String c : capabilities) {
            caps.append(caps.length() == 0 ? "" : ", ").append('"').append(c).append('"');
        }
        return "path \"" + path + "\" {\n  capabilities = [" + caps + "]\n}\n";
    }
}
