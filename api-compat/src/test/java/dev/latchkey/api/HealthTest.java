package dev.latchkey.api;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** {@code sys/health} on an active, initialised, unsealed dev node. */
class HealthTest {
    private static final String HEALTH = "/v1/sys/health";

    @Test
    void getAnswers200WithTheFirstGroupOfFieldsAndTheirTypes() {
        long before = Instant.now().getEpochSecond();
        Response r = DevServer.anonymous().get(HEALTH);
        long after = Instant.now().getEpochSecond();
        r.then().statusCode(200).contentType("application/json")
                .body("initialized", equalTo(true))
                .body("sealed", equalTo(false))
                .body("standby", equalTo(false))
                .body("performance_standby", equalTo(false))
                .body("replication_performance_mode", equalTo("disabled"))
                .body("replication_dr_mode", equalTo("disabled"))
                .body("version", equalTo("1.21.0"))
                .body("enterprise", equalTo(false))
                .body("cluster_name", allOf(instanceOf(String.class), not(emptyString())))
                .body("cluster_id", allOf(instanceOf(String.class), not(emptyString())))
                .body("request_id", nullValue()) // a bare object, no envelope
                .body("data", nullValue());
        Object time = r.path("server_time_utc");
        assertThat("server_time_utc is an integer", time, instanceOf(Integer.class));
        assertThat(((Integer) time).longValue(), allOf(greaterThanOrEqualTo(before), lessThanOrEqualTo(after)));
    }

    @Test
    void clusterFieldsMatchSealStatus() {
        Response seal = DevServer.anonymous().get("/v1/sys/seal-status");
        DevServer.anonymous().get(HEALTH).then().statusCode(200)
                .body("cluster_name", equalTo(seal.path("cluster_name")))
                .body("cluster_id", equalTo(seal.path("cluster_id")));
    }

    @Test
    void activecodeChangesTheStatusOfAnActiveNode() {
        DevServer.anonymous().queryParam("activecode", "299").get(HEALTH).then().statusCode(299)
                .body("initialized", equalTo(true)).body("sealed", equalTo(false));
    }

    /** Codes for states this node is not in (standby, sealed, …) are accepted and change nothing, as in Vault. */
    @ParameterizedTest
    @ValueSource(strings = {"uninitcode", "sealedcode", "standbycode", "drsecondarycode", "performancestandbycode",
            "haunhealthycode", "removedcode"})
    void codesForOtherStatesAreAcceptedButIrrelevant(String param) {
        DevServer.anonymous().queryParam(param, "299").get(HEALTH).then().statusCode(200)
                .body("initialized", equalTo(true));
        DevServer.anonymous().queryParam(param, "299").head(HEALTH).then().statusCode(200);
    }

    @Test
    void okFlagsForStandbysAreAcceptedOnAnActiveNode() {
        DevServer.anonymous().queryParam("standbyok", "true").queryParam("perfstandbyok", "1").get(HEALTH)
                .then().statusCode(200);
    }

    /**
     * Vault answers {@code 400 {"errors":[]}}; Latchkey says what is wrong (README, "Deliberate
     * differences from Vault").
     */
    @ParameterizedTest
    @ValueSource(strings = {"activecode", "uninitcode", "sealedcode", "standbycode", "drsecondarycode",
            "performancestandbycode", "haunhealthycode", "removedcode"})
    void nonIntegerCodeIs400WithAMessage(String param) {
        DevServer.anonymous().queryParam(param, "abc").get(HEALTH).then().statusCode(400)
                .contentType("application/json")
                .body("errors", hasSize(1))
                .body("errors[0]", not(emptyString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"standbyok", "perfstandbyok"})
    void nonBooleanOkFlagIs400WithAMessage(String param) {
        DevServer.anonymous().queryParam(param, "maybe").get(HEALTH).then().statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0]", not(emptyString()));
    }

    @Test
    void headAnswersTheSameStatusWithoutABody() {
        Response plain = DevServer.anonymous().head(HEALTH);
        plain.then().statusCode(200);
        assertThat(plain.asByteArray().length, equalTo(0));

        Response custom = DevServer.anonymous().queryParam("activecode", "299").head(HEALTH);
        custom.then().statusCode(299);
        assertThat(custom.asByteArray().length, equalTo(0));

        DevServer.anonymous().queryParam("sealedcode", "x").head(HEALTH).then().statusCode(400);
    }

    @Test
    void postIs405() {
        DevServer.anonymous().contentType("application/json").body("{}").post(HEALTH).then().statusCode(405)
                .body("errors", notNullValue());
        DevServer.root().delete(HEALTH).then().statusCode(405);
    }

    /** What the Go client's {@code Sys().Health()} sends: every non-active code set to 299. */
    @Test
    void goClientCallWithAllCodesSetTo299() {
        DevServer.anonymous()
                .queryParam("uninitcode", "299").queryParam("sealedcode", "299").queryParam("standbycode", "299")
                .queryParam("drsecondarycode", "299").queryParam("performancestandbycode", "299")
                .get(HEALTH).then().statusCode(200)
                .body("initialized", equalTo(true)).body("sealed", equalTo(false))
                .body("standby", equalTo(false)).body("performance_standby", equalTo(false))
                .body("replication_performance_mode", equalTo("disabled"))
                .body("replication_dr_mode", equalTo("disabled"))
                .body("server_time_utc", instanceOf(Integer.class))
                .body("version", equalTo("1.21.0"))
                .body("cluster_name", not(emptyString())).body("cluster_id", not(emptyString()));
    }

    /** Unauthenticated: no token needed, and a bogus token is ignored, as Vault ignores it. */
    @Test
    void needsNoTokenAndIgnoresAnInvalidOne() {
        DevServer.anonymous().get(HEALTH).then().statusCode(200);
        CoreApiSupport.withToken("hvs.notARealTokenAtAll0000000").get(HEALTH).then().statusCode(200)
                .body("initialized", equalTo(true));
        DevServer.root().get(HEALTH).then().statusCode(200);
        assertThat(DevServer.anonymous().get(HEALTH).header("Cache-Control"), startsWith("no-store"));
    }
}
