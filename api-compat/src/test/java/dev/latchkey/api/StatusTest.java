package dev.latchkey.api;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** {@code sys/seal-status} and {@code sys/leader}: bare objects without the envelope, unauthenticated. */
class StatusTest {
    private static final String SEAL_STATUS = "/v1/sys/seal-status";
    private static final String LEADER = "/v1/sys/leader";

    @Test
    void sealStatusIsABareObjectWithEveryField() {
        Response r = DevServer.anonymous().get(SEAL_STATUS);
        r.then().statusCode(200).contentType("application/json")
                .body("type", equalTo("shamir"))
                .body("initialized", equalTo(true))
                .body("sealed", equalTo(false))
                .body("t", instanceOf(Integer.class))
                .body("n", instanceOf(Integer.class))
                .body("progress", equalTo(0))
                .body("nonce", equalTo(""))
                .body("version", equalTo("1.21.0"))
                .body("migration", equalTo(false))
                .body("cluster_name", allOf(instanceOf(String.class), not(emptyString())))
                .body("cluster_id", allOf(instanceOf(String.class), not(emptyString())))
                .body("recovery_seal", equalTo(false))
                .body("storage_type", equalTo("inmem"))
                .body("removed_from_cluster", equalTo(false))
                .body("request_id", nullValue())
                .body("data", nullValue());
        String buildDate = r.path("build_date");
        assertThat(buildDate, notNullValue());
        OffsetDateTime.parse(buildDate); // RFC 3339, or this throws
        int t = r.path("t");
        int n = r.path("n");
        assertThat("threshold never exceeds the number of shares", t <= n, equalTo(true));
    }

    @Test
    void sealStatusRejectsOtherMethodsWith405() {
        DevServer.anonymous().contentType("application/json").body("{}").post(SEAL_STATUS).then().statusCode(405)
                .body("errors", notNullValue());
        DevServer.root().contentType("application/json").body("{}").put(SEAL_STATUS).then().statusCode(405);
    }

    @Test
    void leaderHasEveryFieldAndAZeroActiveTime() {
        Response r = DevServer.anonymous().get(LEADER);
        r.then().statusCode(200).contentType("application/json")
                .body("ha_enabled", instanceOf(Boolean.class))
                .body("is_self", instanceOf(Boolean.class))
                .body("active_time", equalTo("0001-01-01T00:00:00Z"))
                .body("leader_address", instanceOf(String.class))
                .body("leader_cluster_address", instanceOf(String.class))
                .body("performance_standby", equalTo(false))
                .body("performance_standby_last_remote_wal", equalTo(0))
                .body("request_id", nullValue())
                .body("data", nullValue());
        Map<String, Object> body = r.jsonPath().getMap("");
        assertThat(body, hasKey("active_time"));
        OffsetDateTime.parse(r.path("active_time")); // the Go client decodes it as a timestamp
    }

    @Test
    void leaderRejectsPostWith405() {
        DevServer.anonymous().contentType("application/json").body("{}").post(LEADER).then().statusCode(405);
    }

    /** Unauthenticated: no token needed, and an invalid token does not make them fail, as in Vault. */
    @Test
    void allThreeNeedNoTokenAndIgnoreAnInvalidOne() {
        for (String path : new String[] {SEAL_STATUS, LEADER, "/v1/sys/health"}) {
            DevServer.anonymous().get(path).then().statusCode(200);
            CoreApiSupport.withToken("hvs.invalid000000000000000000").get(path).then().statusCode(200);
            DevServer.root().get(path).then().statusCode(200);
        }
    }
}
