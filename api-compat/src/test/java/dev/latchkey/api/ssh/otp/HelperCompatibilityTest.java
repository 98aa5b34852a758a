package dev.latchkey.api.ssh.otp;

import dev.latchkey.api.testing.DevServer;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.latchkey.api.ssh.otp.OtpFixtures.OTP_LAYOUT;
import static dev.latchkey.api.ssh.otp.OtpFixtures.creds;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * The answers vault-ssh-helper (the PAM helper on OTP hosts) gets, run through a faithful simulation
 * of the helper's own client-side checks (request shape, strict string decoding, username / IP / role checks).
 */
class HelperCompatibilityTest {
    private static final String OK = "ok";

    private static String mount;
    private static final HttpClient CLIENT = OtpFixtures.httpClient();

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("helper");
        role(mount, "web-helper", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\","
                + "\"cidr_list\":\"10.5.0.0/16,2001:db8::/32\",\"allowed_users\":\"alice\"}");
    }

    /** The helper's configuration plus what it knows about its host. */
    private record Helper(String mountPoint, String allowedRoles, String allowedCidrList, List<String> hostAddresses,
                          String vaultToken) {

        /** {@code vault-ssh-helper -verify-only}: the installation check. */
        String verifyOnly() {
            HttpResponse<String> r = OtpFixtures.send(CLIENT,
                    OtpFixtures.helperVerifyRequest(mountPoint, "verify-echo-request", vaultToken));
            if (r.statusCode() / 100 != 2) {
                return "http " + r.statusCode();
            }
            Object message = dataOf(r.body()) instanceof Map<?, ?> d ? d.get("message") : null;
            return "verify-echo-response".equals(message) ? OK : "invalid echo response";
        }

        /** A PAM login: {@code typed} is what pam_exec hands over on stdin for {@code pamUser}. */
        String login(String pamUser, String typed) {
            String otp = typed.endsWith("\0") ? typed.substring(0, typed.length() - 1) : typed;
            if (!OTP_LAYOUT.matcher(otp).matches()) {
                return "invalid OTP layout"; // refused before any request is sent
            }
            HttpResponse<String> r = OtpFixtures.send(CLIENT, OtpFixtures.helperVerifyRequest(mountPoint, otp, vaultToken));
            if (r.statusCode() / 100 != 2) {
                return "http " + r.statusCode() + " " + new JsonPath(r.body()).getList("errors");
            }
            if (!(dataOf(r.body()) instanceof Map<?, ?> data)) {
                return "no data";
            }
            // the helper decodes data into a struct of strings: anything else is a decoding error
            for (String field : List.of("username", "ip", "role_name")) {
                if (data.containsKey(field) && !(data.get(field) instanceof String)) {
                    return "field " + field + " is not a string";
                }
            }
            String username = (String) data.get("username");
            String ip = (String) data.get("ip");
            String roleName = data.get("role_name") == null ? "" : (String) data.get("role_name");
            if (!pamUser.equals(username)) {
                return "username mismatch";
            }
            if (!hostAddresses.contains(ip) && !inAllowedCidrs(ip)) {
                return "ip mismatch";
            }
            if (!allowedRoles.equals("*")) {
                boolean listed = false;
                for (String item : allowedRoles.split(",")) {
                    listed |= !roleName.isEmpty() && item.trim().equals(roleName);
                }
                if (!listed) {
                    return "role not allowed";
                }
            }
            return OK;
        }

        private boolean inAllowedCidrs(String ip) {
            for (String item : allowedCidrList.split(",")) {
                if (!item.isBlank() && ipv4InCidr(ip, item.trim())) {
                    return true;
                }
            }
            return false;
        }

        private static Object dataOf(String body) {
            return new JsonPath(body).get("data");
        }
    }

    /** IPv4-only containment, enough for the simulated allowed_cidr_list (no name resolution anywhere). */
    private static boolean ipv4InCidr(String ip, String cidr) {
        String[] parts = cidr.split("/");
        Long addr = ipv4(ip);
        Long net = ipv4(parts[0]);
        if (addr == null || net == null) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
        return (addr & mask) == (net & mask);
    }

    private static Long ipv4(String s) {
        String[] o = s.split("\\.");
        if (o.length != 4) {
            return null;
        }
        long v = 0;
        for (String p : o) {
            if (!p.matches("[0-9]{1,3}")) {
                return null;
            }
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    /** Runs {@code creds} like {@code vault ssh} does and returns the answer's data. */
    private static Map<String, Object> issue(String ip, String username) {
        var r = creds(mount, "web-helper", "{\"ip\":" + quote(ip) + ",\"username\":" + quote(username) + "}");
        assertThat(r.asString(), r.statusCode(), is(200));
        return r.jsonPath().getMap("data");
    }

    @Test
    void verifyOnlyEchoFlow() {
        assertThat(new Helper(mount, "*", "", List.of(), null).verifyOnly(), is(OK));
        // VAULT_TOKEN in the helper's environment is sent along and must not matter
        assertThat(new Helper(mount, "*", "", List.of(), "hvs.notARealTokenAtAll12345").verifyOnly(), is(OK));
    }

    @Test
    void loginWithAnIssuedOtpPassesEveryHelperCheck() {
        Map<String, Object> issued = issue("10.5.0.7", "alice");
        String otp = (String) issued.get("key");
        assertThat(otp, matchesPattern(OTP_LAYOUT));
        Helper helper = new Helper(mount, "other-role, web-helper", "", List.of("127.0.0.1", "10.5.0.7"), null);
        assertThat(helper.login("alice", otp), is(OK));
    }

    @Test
    void verifyDataMatchesTheCredsAnswerExactly() {
        Map<String, Object> issued = issue("10.5.1.1", "alice");
        HttpResponse<String> r = OtpFixtures.send(CLIENT,
                OtpFixtures.helperVerifyRequest(mount, (String) issued.get("key"), null));
        assertThat(r.body(), r.statusCode(), is(200));
        Map<String, Object> data = new JsonPath(r.body()).getMap("data");
        assertThat(data, is(Map.of("username", issued.get("username"), "ip", issued.get("ip"), "role_name", "web-helper")));
    }

    @Test
    void pamPasswordWithTrailingNulIsAccepted() {
        String otp = (String) issue("10.5.0.8", "alice").get("key");
        Helper helper = new Helper(mount, "web-helper", "", List.of("10.5.0.8"), null);
        assertThat(helper.login("alice", otp + "\0"), is(OK));
    }

    @Test
    void ipIsComparedInItsNormalisedForm() {
        Helper v6host = new Helper(mount, "web-helper", "", List.of("::1", "2001:db8::7"), null);
        assertThat(v6host.login("alice", (String) issue("2001:DB8:0:0::7", "alice").get("key")), is(OK));
        Helper v4host = new Helper(mount, "web-helper", "", List.of("10.5.0.9"), null);
        assertThat(v4host.login("alice", (String) issue("::ffff:10.5.0.9", "alice").get("key")), is(OK));
    }

    @Test
    void allowedCidrListAndStarRoles() {
        Helper helper = new Helper(mount, "*", "192.168.0.0/16, 10.5.0.0/24", List.of("127.0.0.1"), null);
        assertThat(helper.login("ubuntu", (String) issue("10.5.0.200", "ubuntu").get("key")), is(OK));
        assertThat(helper.login("ubuntu", (String) issue("10.5.1.200", "ubuntu").get("key")), is("ip mismatch"));
    }

    @Test
    void helperRefusesAnswersForAnotherUserRoleOrHost() {
        Helper helper = new Helper(mount, "web-helper", "", List.of("10.5.0.10"), null);
        assertThat(helper.login("bob", (String) issue("10.5.0.10", "alice").get("key")), is("username mismatch"));
        assertThat(helper.login("alice", (String) issue("10.5.0.11", "alice").get("key")), is("ip mismatch"));
        Helper otherRoles = new Helper(mount, "db, web", "", List.of("10.5.0.10"), null);
        assertThat(otherRoles.login("alice", (String) issue("10.5.0.10", "alice").get("key")), is("role not allowed"));
    }

    @Test
    void replayedOtpFailsTheLogin() {
        String otp = (String) issue("10.5.0.12", "alice").get("key");
        Helper helper = new Helper(mount, "web-helper", "", List.of("10.5.0.12"), "hvs.notARealTokenAtAll12345");
        assertThat(helper.login("alice", otp), is(OK));
        assertThat(helper.login("alice", otp), is("http 400 [OTP not found]"));
    }

    @Test
    void unknownOtpFailsTheLoginWith400() {
        Helper helper = new Helper(mount, "*", "", List.of("10.5.0.13"), null);
        assertThat(helper.login("alice", "00000000-0000-0000-0000-000000000000"), is("http 400 [OTP not found]"));
    }
}
