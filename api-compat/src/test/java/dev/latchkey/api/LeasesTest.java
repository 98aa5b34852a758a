package dev.latchkey.api;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.testing.VaultErrors;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.latchkey.api.CoreApiSupport.BASE62_24;
import static dev.latchkey.api.CoreApiSupport.assertLeaseGone;
import static dev.latchkey.api.CoreApiSupport.assertOtpRevoked;
import static dev.latchkey.api.CoreApiSupport.creds;
import static dev.latchkey.api.CoreApiSupport.lookupLease;
import static dev.latchkey.api.CoreApiSupport.verify;
import static dev.latchkey.api.testing.Requests.json;
import static dev.latchkey.api.testing.Requests.otpRole;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code sys/leases/*} and the deprecated aliases ({@code sys/renew}, {@code sys/revoke}, …), on the
 * OTP credentials of an ssh mount, whose revocation deletes the OTP.
 */
class LeasesTest {
    private static final int SYSTEM_TTL = 2764800;
    private static String mount;

    @BeforeAll
    static void mountWithOtpRoles() {
        mount = DevServer.enableSsh("leases");
        otpRole(mount, "web");
        otpRole(mount, "db");
    }

    /** A fresh OTP of the role: [lease id, otp]. */
    private static String[] mint(String m, String role) {
        Response r = creds(m, role);
        return new String[] {r.path("lease_id"), r.path("data.key")};
    }

    private static String suffix(String leaseId) {
        return leaseId.substring(leaseId.lastIndexOf('/') + 1);
    }

    private static void assertLeaseLive(String leaseId) {
        lookupLease(leaseId).then().statusCode(200).body("data.id", equalTo(leaseId));
    }

    @Test
    void credsLeaseHasTheRequestPathAnd24Base62Characters() {
        Response r = creds(mount, "web");
        r.then().body("lease_id", matchesPattern(mount + "/creds/web/" + BASE62_24))
                .body("renewable", equalTo(false))
                .body("lease_duration", equalTo(SYSTEM_TTL))
                .body("mount_type", equalTo("ssh"));
        assertThat("lease ids are random", creds(mount, "web").path("lease_id"),
                not(equalTo(r.path("lease_id"))));
    }

    @Test
    void leaseDurationFollowsTheMountDefaultAndIsCappedByItsMax() {
        String tuned = DevServer.enableSsh("leases-ttl");
        otpRole(tuned, "r");
        json(DevServer.root(), "{\"default_lease_ttl\":\"1h\"}").post("/v1/sys/mounts/" + tuned + "/tune")
                .then().statusCode(204);
        creds(tuned, "r").then().body("lease_duration", equalTo(3600));

        json(DevServer.root(), "{\"default_lease_ttl\":\"system\",\"max_lease_ttl\":\"30m\"}")
                .post("/v1/sys/mounts/" + tuned + "/tune").then().statusCode(204);
        Response capped = creds(tuned, "r");
        capped.then().body("lease_duration", equalTo(1800));
        lookupLease(capped.path("lease_id")).then().statusCode(200)
                .body("data.ttl", allOf(greaterThan(1790), lessThanOrEqualTo(1800)));

        json(DevServer.root(), "{\"default_lease_ttl\":\"20m\",\"max_lease_ttl\":\"1h\"}")
                .post("/v1/sys/mounts/" + tuned + "/tune").then().statusCode(204);
        creds(tuned, "r").then().body("lease_duration", equalTo(1200));
    }

    @Test
    void lookupDescribesTheLease() {
        Instant before = Instant.now().minusSeconds(1);
        String[] lease = mint(mount, "web");
        Response r = lookupLease(lease[0]);
        r.then().statusCode(200)
                .body("mount_type", equalTo("system"))
                .body("data.id", equalTo(lease[0]))
                .body("data", hasKey("last_renewal"))
                .body("data.last_renewal", nullValue())
                .body("data.renewable", equalTo(false))
                .body("data.ttl", allOf(greaterThan(SYSTEM_TTL - 10), lessThanOrEqualTo(SYSTEM_TTL)));
        Instant issue = Instant.parse(r.path("data.issue_time")); // RFC 3339 or this throws
        Instant expire = Instant.parse(r.path("data.expire_time"));
        assertThat(issue.isAfter(before), equalTo(true));
        assertThat(issue.isBefore(Instant.now().plusSeconds(1)), equalTo(true));
        assertThat(Duration.between(issue, expire).getSeconds(), equalTo((long) SYSTEM_TTL));
        // a lookup changes nothing: the OTP still works
        verify(mount, lease[1]).then().statusCode(200).body("data.role_name", equalTo("web"));
    }

    @Test
    void lookupErrors() {
        json(DevServer.root(), "{}").put("/v1/sys/leases/lookup").then().statusCode(400)
                .body("errors", contains("lease_id must be specified"));
        lookupLease(mount + "/creds/web/AAAAAAAAAAAAAAAAAAAAAAAA").then().statusCode(400)
                .body("errors", contains("invalid lease"));
    }

    @Test
    void listLooksUpTheSuffixesOfARole() {
        String m = DevServer.enableSsh("leases-list");
        otpRole(m, "a");
        otpRole(m, "b");
        String a1 = mint(m, "a")[0];
        String a2 = mint(m, "a")[0];
        String b1 = mint(m, "b")[0];
        DevServer.root().request("LIST", "/v1/sys/leases/lookup/" + m + "/creds/a/").then().statusCode(200)
                .body("data.keys", containsInAnyOrder(suffix(a1), suffix(a2)));
        DevServer.root().queryParam("list", "true").get("/v1/sys/leases/lookup/" + m + "/creds/a").then()
                .statusCode(200).body("data.keys", containsInAnyOrder(suffix(a1), suffix(a2)));
        DevServer.root().request("LIST", "/v1/sys/leases/lookup/" + m + "/creds/").then().statusCode(200)
                .body("data.keys", containsInAnyOrder("a/", "b/"));
        DevServer.root().request("LIST", "/v1/sys/leases/lookup/" + m + "/creds/b/").then().statusCode(200)
                .body("data.keys", contains(suffix(b1)));
        DevServer.root().request("LIST", "/v1/sys/leases/lookup/" + m + "/creds/none/").then().statusCode(404)
                .body("errors", hasSize(0));
    }

    @Test
    void otpLeasesAreNotRenewable() {
        String id = mint(mount, "web")[0];
        json(DevServer.root(), "{\"lease_id\":\"" + id + "\",\"increment\":3600}").put("/v1/sys/leases/renew")
                .then().statusCode(400).body("errors", contains("lease is not renewable"));
        json(DevServer.root(), "{}").put("/v1/sys/leases/renew/" + id)
                .then().statusCode(400).body("errors", contains("lease is not renewable"));
        json(DevServer.root(), "{\"lease_id\":\"" + mount + "/creds/web/nope\"}").put("/v1/sys/leases/renew")
                .then().statusCode(400).body("errors", contains("lease not found"));
        json(DevServer.root(), "{}").put("/v1/sys/leases/renew")
                .then().statusCode(400).body("errors", contains("lease_id must be specified"));
        assertLeaseLive(id);
    }

    @Test
    void revokeWithBodyRevokesTheOtp() {
        String[] lease = mint(mount, "web");
        json(DevServer.root(), "{\"lease_id\":\"" + lease[0] + "\"}").put("/v1/sys/leases/revoke")
                .then().statusCode(204);
        assertLeaseGone(lease[0]);
        assertOtpRevoked(mount, lease[1]);
    }

    @Test
    void revokeWithIdInUrlRevokesTheOtp() {
        String[] lease = mint(mount, "web");
        json(DevServer.root(), "{\"sync\":true}").put("/v1/sys/leases/revoke/" + lease[0]).then().statusCode(204);
        assertLeaseGone(lease[0]);
        assertOtpRevoked(mount, lease[1]);
    }

    @Test
    void revokingAnUnknownLeaseIs204AndAMissingIdIs400() {
        json(DevServer.root(), "{\"lease_id\":\"" + mount + "/creds/web/unknown0000000000000000\"}")
                .put("/v1/sys/leases/revoke").then().statusCode(204);
        json(DevServer.root(), "{}").put("/v1/sys/leases/revoke").then().statusCode(400)
                .body("errors", contains("lease_id must be specified"));
    }

    @Test
    void asynchronousRevokeAnswers202ThenRevokes() {
        String[] lease = mint(mount, "web");
        Response r = json(DevServer.root(), "{\"lease_id\":\"" + lease[0] + "\",\"sync\":false}")
                .put("/v1/sys/leases/revoke");
        r.then().statusCode(202);
        assertThat(r.asByteArray().length, equalTo(0));
        CoreApiSupport.await(Duration.ofSeconds(5), "lease " + lease[0] + " revoked",
                () -> lookupLease(lease[0]).statusCode() == 400);
        assertLeaseGone(lease[0]);
        assertOtpRevoked(mount, lease[1]);
    }

    @Test
    void revokePrefixRevokesOneRoleOnly() {
        String m = DevServer.enableSsh("leases-prefix");
        otpRole(m, "web");
        otpRole(m, "web2"); // "web" is a string prefix of it: the prefix is a path, "web/"
        otpRole(m, "db");
        List<String[]> web = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            web.add(mint(m, "web"));
        }
        String[] web2 = mint(m, "web2");
        String[] db = mint(m, "db");
        json(DevServer.root(), "{}").put("/v1/sys/leases/revoke-prefix/" + m + "/creds/web").then()
                .statusCode(204);
        for (String[] lease : web) {
            assertLeaseGone(lease[0]);
            assertOtpRevoked(m, lease[1]);
        }
        assertLeaseLive(web2[0]);
        assertLeaseLive(db[0]);
        verify(m, web2[1]).then().statusCode(200).body("data.role_name", equalTo("web2"));
        verify(m, db[1]).then().statusCode(200).body("data.role_name", equalTo("db"));
    }

    /**
     * Each way to revoke every lease of a role: both of its leases go, with their OTPs, and the
     * other role's lease stays. An asynchronous revocation answers 202 with no body first.
     */
    @ParameterizedTest(name = "PUT {0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # endpoint, followed by <mount>/creds/r | body           | status
            sys/leases/revoke-prefix/               | {}             | 204
            sys/leases/revoke-prefix/               | {"sync":false} | 202
            sys/leases/revoke-force/                | ''             | 204
            """)
    void revokingARolesLeasesRevokesThemAndTheirOtps(String endpoint, String body, int status) {
        String m = DevServer.enableSsh("leases-role");
        otpRole(m, "r");
        otpRole(m, "keep");
        String[] a = mint(m, "r");
        String[] b = mint(m, "r");
        String[] keep = mint(m, "keep");
        RequestSpecification request = body.isEmpty() ? DevServer.root() : json(DevServer.root(), body);
        Response r = request.put("/v1/" + endpoint + m + "/creds/r");
        r.then().statusCode(status);
        assertThat(r.asByteArray().length, equalTo(0));
        CoreApiSupport.await(Duration.ofSeconds(5), "leases under " + m + "/creds/r/ revoked",
                () -> lookupLease(a[0]).statusCode() == 400 && lookupLease(b[0]).statusCode() == 400);
        for (String[] lease : List.of(a, b)) {
            assertLeaseGone(lease[0]);
            assertOtpRevoked(m, lease[1]);
        }
        assertLeaseLive(keep[0]);
    }

    /** A prefix without trailing slash that names one lease exactly revokes that lease (as Vault). */
    @Test
    void revokePrefixWithAFullLeaseIdRevokesThatLease() {
        String[] target = mint(mount, "db");
        String[] other = mint(mount, "db");
        json(DevServer.root(), "{}").put("/v1/sys/leases/revoke-prefix/" + target[0]).then().statusCode(204);
        assertLeaseGone(target[0]);
        assertOtpRevoked(mount, target[1]);
        assertLeaseLive(other[0]);
    }

    @Test
    void deprecatedAliasesBehaveTheSame() {
        String m = DevServer.enableSsh("leases-alias");
        otpRole(m, "r");
        otpRole(m, "p");
        otpRole(m, "f");

        String[] one = mint(m, "r");
        json(DevServer.root(), "{\"lease_id\":\"" + one[0] + "\"}").put("/v1/sys/renew").then().statusCode(400)
                .body("errors", contains("lease is not renewable"));
        json(DevServer.root(), "{}").put("/v1/sys/renew/" + one[0]).then().statusCode(400)
                .body("errors", contains("lease is not renewable"));
        json(DevServer.root(), "{}").put("/v1/sys/renew").then().statusCode(400)
                .body("errors", contains("lease_id must be specified"));

        json(DevServer.root(), "{\"lease_id\":\"" + one[0] + "\"}").put("/v1/sys/revoke").then().statusCode(204);
        assertLeaseGone(one[0]);
        assertOtpRevoked(m, one[1]);

        String[] two = mint(m, "r");
        json(DevServer.root(), "{}").put("/v1/sys/revoke/" + two[0]).then().statusCode(204);
        assertLeaseGone(two[0]);
        assertOtpRevoked(m, two[1]);

        String[] p1 = mint(m, "p");
        String[] p2 = mint(m, "p");
        String[] other = mint(m, "r");
        json(DevServer.root(), "{}").put("/v1/sys/revoke-prefix/" + m + "/creds/p").then().statusCode(204);
        assertLeaseGone(p1[0]);
        assertLeaseGone(p2[0]);
        assertOtpRevoked(m, p1[1]);
        assertLeaseLive(other[0]);

        String[] f1 = mint(m, "f");
        DevServer.root().put("/v1/sys/revoke-force/" + m + "/creds/f").then().statusCode(204);
        assertLeaseGone(f1[0]);
        assertOtpRevoked(m, f1[1]);
        assertLeaseLive(other[0]);
    }

    @Test
    void expiredLeasesAreRevokedByTheServer() {
        String m = DevServer.enableSsh("leases-expiry");
        otpRole(m, "r");
        json(DevServer.root(), "{\"default_lease_ttl\":\"2s\"}").post("/v1/sys/mounts/" + m + "/tune")
                .then().statusCode(204);
        Response r = creds(m, "r");
        r.then().body("lease_duration", equalTo(2));
        String id = r.path("lease_id");
        String otp = r.path("data.key");
        assertLeaseLive(id);
        CoreApiSupport.await(Duration.ofSeconds(6), "expired lease " + id + " revoked",
                () -> lookupLease(id).statusCode() == 400);
        assertLeaseGone(id);
        assertOtpRevoked(m, otp);
    }

    @Test
    void leaseEndpointsNeedAToken() {
        String id = mint(mount, "db")[0];
        json(DevServer.anonymous(), "{\"lease_id\":\"" + id + "\"}").put("/v1/sys/leases/revoke").then()
                .statusCode(403).body("errors", contains(VaultErrors.PERMISSION_DENIED));
        assertLeaseLive(id);
    }
}
