package dev.latchkey.api.auth;

import dev.latchkey.api.acl.OperatorWorkflowTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** userpass and approle as hvac (the Python client) uses them: enable, configure, log in, use the token. */
class HvacLoginsTest {
    @Test
    void hvacLogsInThroughBothMethods() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonPath out = JsonPath.from(OperatorWorkflowTest.runPython("hvac_logins.py", suffix));
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
