package dev.latchkey.api.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.hazelcast.nio.serialization.genericrecord.GenericRecordBuilder;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicates;
import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.latchkey.api.testing.Requests.json;
import static dev.latchkey.api.testing.Requests.otpRole;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Someone who reaches the lease map as a member edits the two fields it keeps in clear for its
 * indexes, as a Hazelcast client of their own would (a compact record built by schema name,
 * without Latchkey's classes): the OTP still expires, and still dies with its token.
 */
class LeaseTamperingTest {
    private static final String LEASE_MAP = "latchkey-leases";
    private static final String LEASE_TYPE = "latchkey.LeaseEntry";

    private final List<LogRecord> errors = new ArrayList<>();
    private final Logger storeLog = Logger.getLogger("dev.latchkey.cluster.HazelcastLeaseStore");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                synchronized (errors) {
                    errors.add(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        storeLog.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        storeLog.removeHandler(capture);
    }

    /** The due time pushed past the end of time: the lease is revoked anyway, with its OTP. */
    @Test
    void anOtpWhoseDueTimeWasPushedOutStillExpires() {
        String mount = DevServer.enableSsh("tamper-due");
        otpRole(mount, "r");
        json(DevServer.root(), "{\"default_lease_ttl\":\"1h\"}").post("/v1/sys/mounts/" + mount + "/tune")
                .then().statusCode(204);
        Response minted = creds(DevServer.root(), mount);
        String lease = minted.path("lease_id");
        String otp = minted.path("data.key");

        edit(lease, Long.MAX_VALUE, null);
        // The sealed due time is an hour away; the edit alone earns the lease its end, now.
        await(Duration.ofSeconds(15), "tampered lease revoked", () -> lookupLease(lease).statusCode() == 400);
        assertOtpRevoked(mount, otp);
        assertTamperingLogged(lease, null);
    }

    /** The token accessor changed, then the token revoked: the OTP does not survive its token. */
    @Test
    void anOtpWhoseTokenAccessorWasChangedDiesWithItsToken() {
        String mount = DevServer.enableSsh("tamper-accessor");
        otpRole(mount, "r");
        Response created = json(DevServer.root(), "{\"policies\":[\"root\"]}").post("/v1/auth/token/create");
        created.then().statusCode(200);
        String token = created.path("auth.client_token");
        String accessor = created.path("auth.accessor");
        Response minted = creds(DevServer.anonymous().header("X-Vault-Token", token), mount);
        String lease = minted.path("lease_id");
        String otp = minted.path("data.key");

        edit(lease, null, "someone-elses-accessor");
        json(DevServer.anonymous().header("X-Vault-Token", token), "{}").put("/v1/auth/token/revoke-self")
                .then().statusCode(204);
        await(Duration.ofSeconds(15), "tampered lease revoked", () -> lookupLease(lease).statusCode() == 400);
        assertOtpRevoked(mount, otp);
        assertTamperingLogged(lease, accessor);
    }

    private static Response creds(RequestSpecification as, String mount) {
        Response r = json(as, "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/r");
        r.then().statusCode(200);
        return r;
    }

    private static Response lookupLease(String lease) {
        return json(DevServer.root(), "{\"lease_id\":\"" + lease + "\"}").put("/v1/sys/leases/lookup");
    }

    private static void assertOtpRevoked(String mount, String otp) {
        json(DevServer.anonymous(), "{\"otp\":\"" + otp + "\"}").post("/v1/" + mount + "/verify").then()
                .statusCode(400).body("errors", contains("OTP not found"));
    }

    /** Rewrites the lease's clear fields (null: keep), keeping its sealed body as it is. */
    private static void edit(String lease, Long dueTime, String tokenAccessor) {
        IMap<String, Object> map = DevServer.get().cluster().hazelcast().getMap(LEASE_MAP);
        Collection<Object[]> rows = map.project(Projections.multiAttribute("dueTime", "tokenAccessor", "body"),
                Predicates.equal("__key", lease));
        assertEquals(1, rows.size(), "the lease is in the map");
        Object[] row = rows.iterator().next();
        GenericRecord edited = GenericRecordBuilder.compact(LEASE_TYPE)
                .setInt64("dueTime", dueTime != null ? dueTime : (Long) row[0])
                .setString("tokenAccessor", tokenAccessor != null ? tokenAccessor : (String) row[1])
                .setArrayOfInt8("body", (byte[]) row[2])
                .build();
        map.set(lease, edited);
    }

    private void assertTamperingLogged(String lease, String accessor) {
        synchronized (errors) {
            assertTrue(errors.stream().anyMatch(r -> format(r).contains(lease) && format(r).contains("tampered")),
                    "an error names the lease");
            if (accessor != null) {
                assertFalse(errors.stream().anyMatch(r -> format(r).contains(accessor)), "no accessor in the log");
            }
        }
    }

    private static String format(LogRecord record) {
        return new java.util.logging.SimpleFormatter().formatMessage(record);
    }

    private static void await(Duration deadline, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not reached within " + deadline.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what);
            }
        }
    }
}
