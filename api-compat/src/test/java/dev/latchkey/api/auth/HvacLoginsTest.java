package dev.latchkey.api.auth;

import dev.latchkey.api.acl.OperatorWorkflowTest;
import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.JsonText;
import dev.latchkey.api.testing.TestIdp;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.api.testing.Requests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** userpass, approle and jwt as hvac (the Python client) uses them: enable, configure, log in, use the token. */
class HvacLoginsTest {
    @Test
    void hvacLogsInThroughEachMethod() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String jwtMount = "hvac-jwt-" + suffix;
        String token;
        try (TestIdp idp = new TestIdp()) {
            TestIdp.SigningKey key = idp.publish(TestIdp.key("ES256", "hvac"));
            json(DevServer.root(), "{\"type\":\"jwt\"}").post("/v1/sys/auth/" + jwtMount).then().statusCode(204);
            json(DevServer.root(), "{\"jwt_validation_pubkeys\":[" + JsonText.quote(TestIdp.pem(key)) + "]}")
                    .post("/v1/auth/" + jwtMount + "/config").then().statusCode(204);
            json(DevServer.root(), "{\"role_type\":\"jwt\",\"user_claim\":\"sub\",\"bound_audiences\":\"ci\"}")
                    .post("/v1/auth/" + jwtMount + "/role/people").then().statusCode(204);
            long now = System.currentTimeMillis() / 1000;
            token = TestIdp.sign(key, Map.of("sub", "build-bot", "aud", "ci", "iat", now, "exp", now + 120));
        }
        JsonPath out = JsonPath.from(OperatorWorkflowTest.runPython("hvac_logins.py", suffix, jwtMount, token));
        assertEquals("people", out.getString("service.metadata.role"));
        assertEquals(List.of("default", "dev"), out.getList("user.policies"));
        assertEquals("jdoe", out.getString("user.metadata.username"));
        assertEquals("people-" + suffix + "-jdoe", out.getString("user_lookup.display_name"));
        assertEquals(out.getString("user.entity_id"), out.getString("user_lookup.entity_id"));
        assertEquals("ci", out.getString("machine.metadata.role_name"));
        assertEquals("build-7", out.getString("machine.metadata.pipeline"));
        assertEquals(900, out.getInt("machine.lease_duration"));
        assertTrue(out.getBoolean("machine.orphan"));
    }
}
