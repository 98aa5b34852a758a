package dev.latchkey.api;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static dev.latchkey.api.testing.Requests.json;
import static org.junit.jupiter.api.Assertions.fail;

/** Small helpers shared by the core-endpoint tests (sys/*, auth/token/*): credentials, lease look-ups, polling. */
final class CoreApiSupport {
    /**
     * Random part of lease IDs and tokens: 24 base62 characters, shorter than Vault's (README, "Deliberate
     * differences from Vault").
     */
    static final String BASE62_24 = "[0-9A-Za-z]{24}";

    private CoreApiSupport() {
    }

    static RequestSpecification withToken(String token) {
        return DevServer.anonymous().header("X-Vault-Token", token);
    }

    /** Mints an OTP with the given token; returns the whole response after checking 200. */
    static Response creds(RequestSpecification as, String mount, String role) {
        Response r = json(as, "{\"ip\":\"10.0.0.5\"}").post("/v1/" + mount + "/creds/" + role);
        r.then().statusCode(200);
        return r;
    }

    static Response creds(String mount, String role) {
        return creds(DevServer.root(), mount, role);
    }

    /** {@code PUT sys/leases/lookup} as root. */
    static Response lookupLease(String leaseId) {
        return json(DevServer.root(), "{\"lease_id\":\"" + leaseId + "\"}").put("/v1/sys/leases/lookup");
    }

    /** {@code POST <mount>/verify} without a token, as the host helper calls it. */
    static Response verify(String mount, String otp) {
        return json(DevServer.anonymous(), "{\"otp\":\"" + otp + "\"}").post("/v1/" + mount + "/verify");
    }

    static void assertLeaseGone(String leaseId) {
        lookupLease(leaseId).then().statusCode(400).body("errors", org.hamcrest.Matchers.contains("invalid lease"));
    }

    static void assertOtpRevoked(String mount, String otp) {
        verify(mount, otp).then().statusCode(400).body("errors", org.hamcrest.Matchers.contains("OTP not found"));
    }

    /** Polls every 100 ms until the condition holds, failing after the deadline. */
    static void await(Duration deadline, String what, BooleanSupplier condition) {
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
