package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.testing.SshKeygen;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The inventory and the KRL over HTTP, as clients meet them: what the HTTP layer adds to the
 * engine (the caller's accessor and address in the record, {@code LIST} and {@code ?list=true},
 * {@code PATCH} with a merge patch and its own capability, the KRL without a token and with
 * {@code ETag}/{@code 304}).
 */
class InventoryHttpTest {
    private static SshKeygen.KeyPair user;

    @BeforeAll
    static void key() {
        user = SshKeygen.generate("ed25519", 0);
    }

    private static String mount(String hint) {
        String m = DevServer.enableSsh(hint);
        json(DevServer.root(), "{\"key_type\":\"ed25519\"}").post("/v1/" + m + "/config/ca").then().statusCode(200);
        json(DevServer.root(), "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"default_user\":\"ubuntu\",\"ttl\":\"1h\"}").post("/v1/" + m + "/roles/dev").then().statusCode(204);
        return m;
    }

    private static String sign(String m, String more) {
        return json(DevServer.root(), "{\"public_key\":\"" + user.line() + "\"" + more + "}").post("/v1/" + m + "/sign/dev")
                .then().statusCode(200).extract().path("data.serial_number");
    }

    @Test
    void theRecordNamesTheCallersTokenAndAddress() {
        String m = mount("inventory-record");
        String serial = sign(m, ",\"description\":\"ci runner\"");
        String accessor = DevServer.root().get("/v1/auth/token/lookup-self").then().statusCode(200).extract().path("data.accessor");
        Response record = DevServer.root().get("/v1/" + m + "/cert/" + serial);
        // the display name Vault puts in the default key ID, vault-<display name>-<key hash>
        assertEquals(record.path("data.key_id"), "vault-" + record.path("data.token_display_name") + "-" + user.blobSha256Hex());
        record.then().statusCode(200)
                .body("data.token_accessor", equalTo(accessor))
                .body("data.remote_address", equalTo("127.0.0.1"))
                .body("data.description", equalTo("ci runner"));
        String padded = "0".repeat(16 - serial.length()) + serial;
        DevServer.root().request("LIST", "/v1/" + m + "/certs").then().statusCode(200)
                .body("data.keys", contains(padded))
                .body("data.key_info." + padded + ".serial_number", equalTo(serial));
        DevServer.root().queryParam("list", "true").get("/v1/" + m + "/certs").then().statusCode(200)
                .body("data.keys", contains(padded));
        DevServer.anonymous().request("LIST", "/v1/" + m + "/certs").then().statusCode(403);
    }

    @Test
    void patchTakesAMergePatchAndNeedsThePatchCapability() {
        String m = mount("inventory-patch");
        String serial = sign(m, ",\"description\":\"before\",\"metadata\":\"kept\"");
        DevServer.root().contentType("application/merge-patch+json").body("{\"description\":\"after\"}")
                .patch("/v1/" + m + "/cert/" + serial).then().statusCode(200)
                .body("data.description", equalTo("after")).body("data.metadata", equalTo("kept"));
        DevServer.root().contentType("application/json").body("{\"description\":\"x\"}")
                .patch("/v1/" + m + "/cert/" + serial).then().statusCode(415);

        String policy = "inventory-patch-" + m;
        json(DevServer.root(), "{\"policy\":\"path \\\"" + m + "/cert/*\\\" { capabilities = [\\\"read\\\", \\\"update\\\"] }\"}")
                .put("/v1/sys/policies/acl/" + policy).then().statusCode(204);
        String token = json(DevServer.root(), "{\"policies\":[\"" + policy + "\"]}").post("/v1/auth/token/create")
                .then().statusCode(200).extract().path("auth.client_token");
        RestAssured.given().baseUri(DevServer.baseUri()).header("X-Vault-Token", token)
                .contentType("application/merge-patch+json").body("{\"description\":\"denied\"}")
                .patch("/v1/" + m + "/cert/" + serial).then().statusCode(403);
        RestAssured.given().baseUri(DevServer.baseUri()).header("X-Vault-Token", token)
                .contentType("application/json").body("{\"description\":\"by update\"}")
                .post("/v1/" + m + "/cert/" + serial).then().statusCode(200).body("data.description", equalTo("by update"));
    }

    @Test
    void theKrlIsServedWithoutATokenAndOnlyWhenItChanged() {
        String m = mount("inventory-krl");
        String serial = sign(m, "");
        Response first = DevServer.anonymous().get("/v1/" + m + "/krl");
        first.then().statusCode(200).contentType("application/octet-stream");
        byte[] body = first.asByteArray();
        assertEquals("SSHKRL\n\0", new String(body, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1));
        String etag = first.header("ETag");
        DevServer.anonymous().header("If-None-Match", etag).get("/v1/" + m + "/krl").then().statusCode(304);

        json(DevServer.root(), "{\"serial_number\":\"" + serial + "\",\"reason\":\"test\"}").post("/v1/" + m + "/revoke")
                .then().statusCode(200).body("data.serial_number", equalTo(serial));
        Response second = DevServer.anonymous().header("If-None-Match", etag).get("/v1/" + m + "/krl");
        second.then().statusCode(200);
        assertNotEquals(etag, second.header("ETag"));
        DevServer.anonymous().get("/v1/" + m + "/krl/text").then().statusCode(200).contentType(startsWith("text/plain"))
                .body(containsString("serial: " + Long.toUnsignedString(Long.parseUnsignedLong(serial, 16)) + "\n"));
        DevServer.anonymous().post("/v1/" + m + "/revoke").then().statusCode(403);
    }

    @Test
    void theOpenSshHelperNeedsAToken() {
        String m = mount("inventory-openssh");
        DevServer.anonymous().queryParam("type", "server").get("/v1/" + m + "/config/openssh").then().statusCode(403);
        String config = DevServer.root().queryParam("type", "server").get("/v1/" + m + "/config/openssh").then()
                .statusCode(200).extract().path("data.sshd_config");
        assertEquals(List.of("TrustedUserCAKeys /etc/ssh/latchkey/trusted-user-ca-keys.pub",
                "RevokedKeys /etc/ssh/latchkey/revoked-keys.krl"), config.lines().skip(1).toList());
        DevServer.root().queryParam("type", "x").get("/v1/" + m + "/config/openssh").then().statusCode(400)
                .body("errors", contains("type must be server or client, not \"x\""));
    }
}
