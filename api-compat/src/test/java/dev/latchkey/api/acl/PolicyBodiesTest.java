package dev.latchkey.api.acl;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.JsonText;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;

/** Policy texts that are wrong get a 400 that says what is wrong, or a 413 when too large, and store nothing. */
class PolicyBodiesTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a block never closed     | `path "a" {\\n  capabilities = ["read"]\\n`                          | failed to parse policy: At 1:10: the '{' here is never closed (expected '}' before the end of the text)
            a list never closed      | `path "a" {\\n  capabilities = ["read"\\n}`                          | failed to parse policy: At 3:1: unexpected '}' (expected ']' for the '[' at 2:18)
            a value missing          | `path "a" {\\n  capabilities =\\n}`                                  | failed to parse policy: At 2:16: expected a value after '='
            an unknown capability    | `path "a" {\\n  capabilities = ["reed"]\\n}`                          | failed to parse policy: path "a": invalid capability "reed"
            +* in a path             | `path "a/+*" {\\n  capabilities = ["read"]\\n}`                       | failed to parse policy: path "a/+*": invalid use of wildcards ('+*' is forbidden)
            reversed wrapping TTLs   | `path "a" {\\n  capabilities = ["read"]\\n  min_wrapping_ttl = "1h"\\n  max_wrapping_ttl = "1m"\\n}` | failed to parse policy: max_wrapping_ttl cannot be less than min_wrapping_ttl
            an unknown key           | `path "a" {\\n  capabilities = ["read"]\\n  colour = "red"\\n}`       | failed to parse policy: 1 error occurred:\\n\\t* path "a": invalid key "colour" on line 3\\n\\n
            unbalanced templating    | `path "a/{{identity.entity.id" {\\n  capabilities = ["read"]\\n}`     | failed to parse policy: failed to validate policy templating: unbalanced templating characters
            """)
    void aWrongPolicyIs400AndNothingIsStored(String why, String text, String message) {
        String name = "wrong-" + UUID.randomUUID().toString().substring(0, 8);
        String expected = message.replace("\\n", "\n").replace("\\t", "\t");
        Response r = json(DevServer.root(), "{\"policy\":" + JsonText.quote(text.replace("\\n", "\n")) + "}")
                .put("/v1/sys/policies/acl/" + name);
        r.then().statusCode(400).body("errors", contains(expected));
        DevServer.root().get("/v1/sys/policies/acl/" + name).then().statusCode(404);
    }

    @Test
    void aPolicyOverTheBodyLimitIs413AndNothingIsStored() {
        String name = "huge-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] head = "{\"policy\":\"path \\\"a\\\" { capabilities = [\\\"read\\\"] }".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[33 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
        DevServer.root().contentType("application/json").body(body).put("/v1/sys/policies/acl/" + name)
                .then().statusCode(413).body("errors", contains("http: request body too large: the limit is 33554432 bytes"));
        DevServer.root().get("/v1/sys/policies/acl/" + name).then().statusCode(404);
    }
}
