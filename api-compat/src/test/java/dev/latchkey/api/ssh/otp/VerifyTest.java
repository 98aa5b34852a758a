package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.latchkey.api.ssh.otp.OtpFixtures.mint;
import static dev.latchkey.api.ssh.otp.OtpFixtures.verify;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.otpRole;
import static dev.latchkey.testing.VaultErrors.UNSUPPORTED_OPERATION;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * {@code <mount>/verify} over HTTP, as vault-ssh-helper calls it: without a token or with any token,
 * the bodies it parses, mounts kept apart, the lease through {@code sys/leases}, and one atomic
 * redemption under parallel requests. What verify redeems and refuses is the engine's
 * {@code VerifyPathTest}.
 */
class VerifyTest {
    private static final String NOT_FOUND_BODY = "{\"errors\":[\"OTP not found\"]}";

    private static String mount;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("verify");
        otpRole(mount, "web", "ubuntu", "10.0.0.0/8,2001:db8::/32", "");
    }

    private static void assertNotFound(Response r) {
        assertThat(r.asString(), r.statusCode(), is(400));
        assertThat(r.jsonPath().getList("errors"), contains("OTP not found"));
    }

    private static void assertRedeemed(Response r, String username, String ip, String role) {
        assertThat(r.asString(), r.statusCode(), is(200));
        JsonPath j = r.jsonPath();
        assertThat(j.getMap("data"), equalTo(Map.of("username", username, "ip", ip, "role_name", role)));
        assertThat(j.getString("lease_id"), is(""));
        assertThat(j.getBoolean("renewable"), is(false));
        assertThat(j.getInt("lease_duration"), is(0));
    }

    @Test
    void echoAnswersWithoutAToken() {
        Response r = verify(mount, "\"verify-echo-request\"");
        assertThat(r.statusCode(), is(200));
        assertThat(r.jsonPath().getMap("data"), equalTo(Map.of("message", "verify-echo-response")));
        assertThat(r.jsonPath().getString("lease_id"), is(""));
    }

    @Test
    void realOtpRedeemsOnceWithExactlyUsernameIpAndRoleName() {
        String otp = mint(mount, "web", "10.1.2.3").getString("data.key");
        Response first = verify(mount, quote(otp));
        assertRedeemed(first, "ubuntu", "10.1.2.3", "web");
        assertThat("all three values are JSON strings", first.asString().contains("\"ip\":\"10.1.2.3\""), is(true));

        Response second = verify(mount, quote(otp));
        assertNotFound(second);
        assertThat(second.asString().trim(), is(NOT_FOUND_BODY));
    }

    @Test
    void aVerifyWithoutBodyHasNoOtp() {
        assertNotFound(DevServer.anonymous().post("/v1/" + mount + "/verify").andReturn());
    }

    @Test
    void otpOfAnotherMountIsNotFound() {
        String other = DevServer.enableSsh("verify-other");
        otpRole(other, "web", "ubuntu", "10.0.0.0/8", "");
        String otp = mint(other, "web", "10.0.0.8").getString("data.key");
        assertNotFound(verify(mount, quote(otp)));
        assertRedeemed(verify(other, quote(otp)), "ubuntu", "10.0.0.8", "web");
    }

    @Test
    void getIsAnUnsupportedOperation() {
        Response r = DevServer.anonymous().get("/v1/" + mount + "/verify").andReturn();
        assertThat(r.statusCode(), is(405));
        assertThat(r.jsonPath().getList("errors"), contains(UNSUPPORTED_OPERATION));
        Response withToken = DevServer.root().get("/v1/" + mount + "/verify").andReturn();
        assertThat(withToken.statusCode(), is(405));
    }

    @Test
    void putWorksLikePost() {
        String otp = mint(mount, "web", "10.0.0.9").getString("data.key");
        Response r = DevServer.anonymous().contentType("application/json").body("{\"otp\":" + quote(otp) + "}")
                .put("/v1/" + mount + "/verify").andReturn();
        assertRedeemed(r, "ubuntu", "10.0.0.9", "web");
    }

    @Test
    void invalidTokenDoesNotBlockVerify() {
        String bogus = "hvs.AAAAAAAAAAAAAAAAAAAAAAAA";
        Response echo = DevServer.anonymous().header("X-Vault-Token", bogus).contentType("application/json")
                .body("{\"otp\":\"verify-echo-request\"}").post("/v1/" + mount + "/verify").andReturn();
        assertThat(echo.statusCode(), is(200));
        assertThat(echo.jsonPath().getString("data.message"), is("verify-echo-response"));

        String otp = mint(mount, "web", "10.0.0.10").getString("data.key");
        Response r = DevServer.anonymous().header("X-Vault-Token", bogus).contentType("application/json")
                .body("{\"otp\":" + quote(otp) + "}").post("/v1/" + mount + "/verify").andReturn();
        assertRedeemed(r, "ubuntu", "10.0.0.10", "web");

        String otp2 = mint(mount, "web", "10.0.0.11").getString("data.key");
        Response bearer = DevServer.anonymous().header("Authorization", "Bearer not-a-token").contentType("application/json")
                .body("{\"otp\":" + quote(otp2) + "}").post("/v1/" + mount + "/verify").andReturn();
        assertRedeemed(bearer, "ubuntu", "10.0.0.11", "web");

        // a bogus token on a miss still gets the engine's answer, not a 403
        Response miss = DevServer.anonymous().header("X-Vault-Token", bogus).contentType("application/json")
                .body("{\"otp\":" + quote(otp) + "}").post("/v1/" + mount + "/verify").andReturn();
        assertNotFound(miss);
    }

    @Test
    void validTokenIsAcceptedToo() {
        String otp = mint(mount, "web", "10.0.0.12").getString("data.key");
        Response r = DevServer.root().contentType("application/json").body("{\"otp\":" + quote(otp) + "}")
                .post("/v1/" + mount + "/verify").andReturn();
        assertRedeemed(r, "ubuntu", "10.0.0.12", "web");
    }

    private static Response leases(String operation, String leaseId) {
        return DevServer.root().contentType("application/json").body("{\"lease_id\":" + quote(leaseId) + "}")
                .put("/v1/sys/leases/" + operation).andReturn();
    }

    /** What the engine does with a revoked OTP secret is the engine's {@code OtpLeaseTest}; this is the wiring. */
    @Test
    void revokingTheLeaseThroughSysLeasesEndsItAndItsOtp() {
        JsonPath unused = mint(mount, "web", "10.0.0.14");
        leases("revoke", unused.getString("lease_id")).then().statusCode(204);
        assertNotFound(verify(mount, quote(unused.getString("data.key"))));

        JsonPath verified = mint(mount, "web", "10.0.0.13");
        assertRedeemed(verify(mount, quote(verified.getString("data.key"))), "ubuntu", "10.0.0.13", "web");
        Response revoke = leases("revoke", verified.getString("lease_id"));
        assertThat(revoke.asString(), revoke.statusCode(), is(204));
        assertThat(revoke.asString(), emptyString());
        Response lookup = leases("lookup", verified.getString("lease_id"));
        assertThat(lookup.statusCode(), is(400));
        assertThat(lookup.jsonPath().getList("errors"), contains("invalid lease"));
    }

    // ---- one atomic take under concurrency (README, "Deliberate differences from Vault") ----

    /** Sends {@code perOtp} verifies per OTP, each from its own thread, all released by one start gate; answers per OTP. */
    private static Map<String, List<HttpResponse<String>>> race(List<String> otps, int perOtp) throws Exception {
        HttpClient client = OtpFixtures.httpClient();
        int total = otps.size() * perOtp;
        ExecutorService pool = Executors.newFixedThreadPool(total);
        CountDownLatch ready = new CountDownLatch(total);
        CountDownLatch start = new CountDownLatch(1);
        Map<String, List<Future<HttpResponse<String>>>> futures = new HashMap<>();
        try {
            for (int round = 0; round < perOtp; round++) {
                for (String otp : otps) {
                    HttpRequest req = OtpFixtures.helperVerifyRequest(mount, otp, null);
                    futures.computeIfAbsent(otp, k -> new ArrayList<>()).add(pool.submit(() -> {
                        ready.countDown();
                        start.await();
                        return client.send(req, HttpResponse.BodyHandlers.ofString());
                    }));
                }
            }
            assertThat("all threads at the gate", ready.await(30, TimeUnit.SECONDS), is(true));
            start.countDown();
            Map<String, List<HttpResponse<String>>> out = new HashMap<>();
            for (Map.Entry<String, List<Future<HttpResponse<String>>>> e : futures.entrySet()) {
                List<HttpResponse<String>> answers = new ArrayList<>();
                for (Future<HttpResponse<String>> f : e.getValue()) {
                    answers.add(f.get(60, TimeUnit.SECONDS));
                }
                out.put(e.getKey(), answers);
            }
            return out;
        } finally {
            start.countDown();
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS), is(true));
        }
    }

    private static void assertExactlyOneWinner(List<HttpResponse<String>> answers, String ip) {
        int ok = 0;
        for (HttpResponse<String> a : answers) {
            if (a.statusCode() == 200) {
                ok++;
                JsonPath j = new JsonPath(a.body());
                assertThat(j.getMap("data"), equalTo(Map.of("username", "ubuntu", "ip", ip, "role_name", "web")));
            } else {
                assertThat(a.body(), a.statusCode(), is(400));
                assertThat(a.body().trim(), is(NOT_FOUND_BODY));
            }
        }
        assertThat("successful redemptions", ok, is(1));
    }

    @Test
    void sixtyFourParallelVerifiesOfOneOtpHaveExactlyOneWinner() throws Exception {
        String otp = mint(mount, "web", "10.64.0.1").getString("data.key");
        Map<String, List<HttpResponse<String>>> answers = race(List.of(otp), 64);
        assertThat(answers.get(otp).size(), is(64));
        assertExactlyOneWinner(answers.get(otp), "10.64.0.1");
    }

    @Test
    void twentyOtpsRacedInParallelEachHaveExactlyOneWinner() throws Exception {
        List<String> otps = new ArrayList<>();
        Map<String, String> ipOf = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String ip = "10.20.0." + (i + 1);
            String otp = mint(mount, "web", ip).getString("data.key");
            otps.add(otp);
            ipOf.put(otp, ip);
        }
        Map<String, List<HttpResponse<String>>> answers = race(otps, 16);
        assertThat(answers.size(), is(20));
        for (String otp : otps) {
            assertThat(answers.get(otp).size(), is(16));
            assertExactlyOneWinner(answers.get(otp), ipOf.get(otp));
        }
    }
}
