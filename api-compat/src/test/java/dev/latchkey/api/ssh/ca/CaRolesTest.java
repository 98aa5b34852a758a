package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertErrorStartsWith;
import static dev.latchkey.api.testing.HttpAssertions.assertNoContent;
import static dev.latchkey.api.testing.HttpAssertions.assertNotFound;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.get;
import static dev.latchkey.api.testing.Requests.post;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/**
 * {@code roles/:role} for {@code ca} roles: the CA fields on write and read, their defaults, and the
 * CA checks of a write.
 */
class CaRolesTest {
    /** Exactly the fields a current Vault returns when it reads a CA role. */
    private static final Set<String> CA_FIELDS = Set.of("allowed_users", "allowed_users_template", "allowed_domains",
            "allowed_domains_template", "default_user", "default_user_template", "ttl", "max_ttl",
            "allowed_critical_options", "allowed_extensions", "allow_user_certificates", "allow_host_certificates",
            "allow_bare_domains", "allow_subdomains", "allow_user_key_ids", "key_id_format", "key_type",
            "default_critical_options", "default_extensions", "default_extensions_template",
            "allowed_user_key_lengths", "algorithm_signer", "not_before_duration", "allow_empty_principals");
    private static final String NEED_A_FLAG =
            "Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'";
    private static final String KEY_LENGTHS = "error processing allowed_user_key_lengths: ";

    private static String mount;

    @BeforeAll
    static void mount() {
        mount = DevServer.enableSsh("ca-roles");
    }

    private static Map<String, Object> read(String name) {
        Response r = get(mount, "roles/" + name);
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getString("lease_id"), is(""));
        return r.jsonPath().getMap("data");
    }

    private static void assertNotStored(String name) {
        assertNotFound(get(mount, "roles/" + name));
    }

    private static final String FULL = """
            {"key_type":"ca",
             "default_user":"alice",
             "default_user_template":true,
             "allowed_users":"alice,bob, carol",
             "allowed_users_template":true,
             "allowed_domains":"example.com, example.org",
             "allowed_domains_template":"true",
             "ttl":"1h",
             "max_ttl":7200,
             "allowed_critical_options":"force-command, source-address",
             "allowed_extensions":"permit-pty,permit-X11-forwarding",
             "default_critical_options":{"force-command":"/bin/true","limit":5},
             "default_extensions":{"permit-pty":"","flag":true,"count":7,"ratio":1.5,"off":false},
             "default_extensions_template":1,
             "allow_user_certificates":true,
             "allow_host_certificates":"1",
             "allow_bare_domains":true,
             "allow_subdomains":true,
             "allow_user_key_ids":true,
             "key_id_format":"{{role_name}}-{{token_display_name}}-{{public_key_hash}}",
             "allowed_user_key_lengths":{"rsa":2048,"ec":[256,384],"ed25519":"0","ssh-rsa":"2048, 4096",
                                         "ecdsa-sha2-nistp521":[0]},
             "algorithm_signer":"rsa-sha2-512",
             "not_before_duration":"2m",
             "allow_empty_principals":true,
             "cidr_list":"10.0.0.0/8",
             "exclude_cidr_list":"10.1.0.0/16",
             "port":2222}
            """;

    // ---- write and read ----

    @Test
    void everyCaFieldRoundTripsWithVaultsReadTypes() {
        assertNoContent(post(mount, "roles/full", FULL));
        Response r = get(mount, "roles/full");
        Map<String, Object> d = read("full");
        assertThat(d.keySet(), equalTo(CA_FIELDS));

        assertThat(d.get("key_type"), is("ca"));
        assertThat(d.get("default_user"), is("alice"));
        assertThat(d.get("default_user_template"), is(true));
        assertThat(d.get("allowed_users"), is("alice,bob, carol"));
        assertThat(d.get("allowed_users_template"), is(true));
        assertThat(d.get("allowed_domains"), is("example.com, example.org"));
        assertThat(d.get("allowed_domains_template"), is(true));
        assertThat(d.get("allowed_critical_options"), is("force-command, source-address"));
        assertThat(d.get("allowed_extensions"), is("permit-pty,permit-X11-forwarding"));
        assertThat(d.get("default_extensions_template"), is(true));
        assertThat(d.get("allow_user_certificates"), is(true));
        assertThat(d.get("allow_host_certificates"), is(true));
        assertThat(d.get("allow_bare_domains"), is(true));
        assertThat(d.get("allow_subdomains"), is(true));
        assertThat(d.get("allow_user_key_ids"), is(true));
        assertThat(d.get("allow_empty_principals"), is(true));
        assertThat(d.get("key_id_format"), is("{{role_name}}-{{token_display_name}}-{{public_key_hash}}"));
        assertThat(d.get("algorithm_signer"), is("rsa-sha2-512"));

        // Durations are integer seconds (JSON numbers), whatever form was written.
        assertThat(d.get("ttl"), instanceOf(Integer.class));
        assertThat(d.get("ttl"), is(3600));
        assertThat(d.get("max_ttl"), is(7200));
        assertThat(d.get("not_before_duration"), is(120));
        String raw = r.asString();
        assertThat(raw, containsString("\"ttl\":3600"));
        assertThat(raw, containsString("\"max_ttl\":7200"));
        assertThat(raw, containsString("\"not_before_duration\":120"));

        // Map values of any scalar type are stored as strings (Go %v).
        assertThat(d.get("default_critical_options"), equalTo(Map.of("force-command", "/bin/true", "limit", "5")));
        assertThat(d.get("default_extensions"), equalTo(Map.of("permit-pty", "", "flag", "true", "count", "7",
                "ratio", "1.5", "off", "false")));

        // Key lengths come back as lists of integers, whichever form was written.
        assertThat(d.get("allowed_user_key_lengths"), equalTo(Map.of("rsa", List.of(2048), "ec", List.of(256, 384),
                "ed25519", List.of(0), "ssh-rsa", List.of(2048, 4096), "ecdsa-sha2-nistp521", List.of(0))));
        assertThat(raw, containsString("\"rsa\":[2048]"));
        assertThat(raw, containsString("\"ssh-rsa\":[2048,4096]"));
    }

    @Test
    void defaultsOfAMinimalRole() {
        role(mount, "minimal", "{\"key_type\":\"ca\",\"allow_host_certificates\":true}");
        Map<String, Object> d = read("minimal");
        assertThat(d.keySet(), equalTo(CA_FIELDS));
        assertThat(d.get("algorithm_signer"), is("default"));
        assertThat(d.get("not_before_duration"), is(30));
        assertThat(d.get("ttl"), is(0));
        assertThat(d.get("max_ttl"), is(0));
        for (String s : List.of("allowed_users", "allowed_domains", "default_user", "allowed_critical_options",
                "allowed_extensions", "key_id_format")) {
            assertThat(s, d.get(s), is(""));
        }
        for (String b : List.of("allowed_users_template", "allowed_domains_template", "default_user_template",
                "default_extensions_template", "allow_user_certificates", "allow_bare_domains", "allow_subdomains",
                "allow_user_key_ids", "allow_empty_principals")) {
            assertThat(b, d.get(b), is(false));
        }
        assertThat(d.get("allow_host_certificates"), is(true));
        assertThat(d.get("default_critical_options"), equalTo(Map.of()));
        assertThat(d.get("default_extensions"), equalTo(Map.of()));
        assertThat(d.get("allowed_user_key_lengths"), equalTo(Map.of()));
        assertThat(d.get("key_type"), is("ca"));
    }

    @Test
    void aWriteReplacesTheWholeRole() {
        assertNoContent(post(mount, "roles/replaced", FULL));
        role(mount, "replaced", "{\"key_type\":\"CA\",\"allow_user_certificates\":true}");
        Map<String, Object> d = read("replaced");
        assertThat(d.get("key_type"), is("ca"));
        assertThat(d.get("default_user"), is(""));
        assertThat(d.get("allowed_user_key_lengths"), equalTo(Map.of()));
        assertThat(d.get("default_extensions"), equalTo(Map.of()));
        assertThat(d.get("algorithm_signer"), is("default"));
        assertThat(d.get("not_before_duration"), is(30));
        assertThat(d.get("allow_host_certificates"), is(false));
        assertThat(d.get("allow_empty_principals"), is(false));
    }

    @ParameterizedTest
    @CsvSource({"'',default", "default,default", "ssh-rsa,ssh-rsa", "rsa-sha2-256,rsa-sha2-256",
            "rsa-sha2-512,rsa-sha2-512"})
    void algorithmSignerAcceptedValues(String written, String stored) {
        role(mount, "signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"algorithm_signer\":"
                + quote(written) + "}");
        assertThat(read("signer").get("algorithm_signer"), is(stored));
    }

    @ParameterizedTest
    @CsvSource({"300,300", "'\"300\"',300", "'\"5m\"',300", "'\"1h30m\"',5400", "'\"7d\"',604800", "0,0",
            "'\"\"',0", "90.9,90", "'\"250ms\"',0"})
    void durationFormsBecomeIntegerSeconds(String json, int seconds) {
        role(mount, "durations", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"ttl\":" + json
                + ",\"not_before_duration\":" + json + "}");
        Map<String, Object> d = read("durations");
        assertThat(d.get("ttl"), is(seconds));
        assertThat(d.get("max_ttl"), is(0));
        // An explicit zero or empty not_before_duration is kept as zero, not the 30 s default.
        assertThat(d.get("not_before_duration"), is(seconds));
    }

    @Test
    void ttlEqualToMaxTtlAndTtlWithoutMaxAreAccepted() {
        role(mount, "ttl-equal", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"ttl\":\"1h\","
                + "\"max_ttl\":3600}");
        assertThat(read("ttl-equal").get("ttl"), is(3600));
        role(mount, "ttl-nomax", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"ttl\":\"100h\"}");
        assertThat(read("ttl-nomax").get("ttl"), is(360000));
        role(mount, "max-only", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"max_ttl\":\"1m\"}");
        assertThat(read("max-only").get("max_ttl"), is(60));
    }

    // ---- LIST ----

    @Test
    void listShowsCaKeyTypeInKeyInfo() {
        String m = DevServer.enableSsh("ca-roles-list");
        role(m, "ca-user", "{\"key_type\":\"ca\",\"allow_user_certificates\":true}");
        role(m, "a-host", "{\"key_type\":\"ca\",\"allow_host_certificates\":true}");
        role(m, "otp-role", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}");
        Response r = DevServer.root().request("LIST", "/v1/" + m + "/roles").andReturn();
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getList("data.keys"), equalTo(List.of("a-host", "ca-user", "otp-role")));
        assertThat(r.jsonPath().getMap("data.key_info"), equalTo(Map.of(
                "a-host", Map.of("key_type", "ca"),
                "ca-user", Map.of("key_type", "ca"),
                "otp-role", Map.of("key_type", "otp"))));
        Response viaGet = DevServer.root().get("/v1/" + m + "/roles?list=true").andReturn();
        assertThat(viaGet.jsonPath().getMap("data"), equalTo(r.jsonPath().getMap("data")));

        assertNoContent(DevServer.root().delete("/v1/" + m + "/roles/ca-user").andReturn());
        assertThat(DevServer.root().get("/v1/" + m + "/roles/ca-user").statusCode(), is(404));
    }

    // ---- the CA checks of a role write, in Vault's order (after the CIDR lists and the key type) ----

    @ParameterizedTest
    @ValueSource(strings = {"rsa-sha2-384", "SSH-RSA", "Default", "ecdsa-sha2-nistp256", "ssh-ed25519", " default"})
    void unknownAlgorithmSigner(String signer) {
        assertError(post(mount, "roles/bad-signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"algorithm_signer\":" + quote(signer) + "}"), 400, "unknown algorithm signer \"" + signer + "\"");
        assertNotStored("bad-signer");
    }

    @Test
    void unknownAlgorithmSignerIsQuotedLikeGo() {
        assertError(post(mount, "roles/bad-signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"algorithm_signer\":\"a\\\"b\"}"), 400, "unknown algorithm signer \"a\\\"b\"");
    }

    /**
     * A refused write says why and stores nothing. An error ending in " …" is the start of the
     * message: a parser's reason follows, which Vault does not fix.
     */
    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role         | body                                                                                             | error
            no-flag        | {"key_type":"ca"}                                                                                | Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'
            no-flag        | {"key_type":"ca","allow_user_certificates":false,"allow_host_certificates":"false","default_user":"alice","allowed_users":"*"} | Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'
            bad-lengths    | {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":"abc"}}        | error processing allowed_user_key_lengths: …
            bad-lengths    | {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":[2048,"x"]}}   | error processing allowed_user_key_lengths: …
            bad-lengths    | {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":"2048,four"}}  | error processing allowed_user_key_lengths: …
            bad-lengths    | {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":1.5}}          | error processing allowed_user_key_lengths: …
            bad-lengths    | {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":true}}         | error processing allowed_user_key_lengths: …
            bad-lengths    | {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"ed25519":{"a":1}}}  | error processing allowed_user_key_lengths: …
            lengths-string | {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":"rsa=2048"}           | Field validation failed: error converting input rsa=2048 for field "allowed_user_key_lengths": …
            ttl-max        | {"key_type":"ca","allow_user_certificates":true,"ttl":"2h","max_ttl":"1h"}                       | "ttl" value must be less than "max_ttl" when both are specified
            ttl-max        | {"key_type":"ca","allow_host_certificates":true,"ttl":61,"max_ttl":"1m"}                         | "ttl" value must be less than "max_ttl" when both are specified
            negative       | {"key_type":"ca","allow_user_certificates":true,"ttl":-5}                                        | Field validation failed: error converting input -5 for field "ttl": cannot provide negative value '-5'
            """)
    void aRefusedWriteSaysWhyAndStoresNothing(String name, String body, String error) {
        Response r = post(mount, "roles/" + name, body);
        if (error.endsWith(" …")) {
            assertErrorStartsWith(r, 400, error.substring(0, error.length() - 1));
        } else {
            assertError(r, 400, error);
        }
        assertNotStored(name);
    }

    @Test
    void errorsComeInStepOrder() {
        // Step 2 (CIDR) comes before the key type is looked at, so it hits CA roles too.
        assertError(post(mount, "roles/order", "{\"key_type\":\"ca\",\"cidr_list\":\"bogus\","
                + "\"algorithm_signer\":\"x\"}"), 400, "failed to validate cidr_list: invalid CIDR address: bogus");
        // Signer before flags.
        assertError(post(mount, "roles/order", "{\"key_type\":\"ca\",\"algorithm_signer\":\"x\","
                + "\"allowed_user_key_lengths\":{\"rsa\":\"x\"},\"ttl\":2,\"max_ttl\":1}"), 400,
                "unknown algorithm signer \"x\"");
        // Flags before key lengths.
        assertError(post(mount, "roles/order", "{\"key_type\":\"ca\",\"allowed_user_key_lengths\":{\"rsa\":\"x\"},"
                + "\"ttl\":2,\"max_ttl\":1}"), 400, NEED_A_FLAG);
        // Key lengths before TTLs.
        assertErrorStartsWith(post(mount, "roles/order", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"allowed_user_key_lengths\":{\"rsa\":\"x\"},\"ttl\":2,\"max_ttl\":1}"), 400, KEY_LENGTHS);
        assertNotStored("order");
    }

    @Test
    void caRolesIgnoreOtpOnlyFields() {
        // default_user is optional for CA roles; port/cidr fields are accepted but not kept.
        role(mount, "ca-otp-fields", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"port\":0,"
                + "\"cidr_list\":\"192.168.0.0/16\"}");
        Map<String, Object> d = read("ca-otp-fields");
        assertThat(d.keySet(), equalTo(CA_FIELDS));
        assertThat(d.get("default_user"), is(""));
    }
}
