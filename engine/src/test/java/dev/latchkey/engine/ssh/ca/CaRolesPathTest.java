package dev.latchkey.engine.ssh.ca;

import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code roles/:role} with {@code key_type=ca} on the engine: what a write accepts, refuses (in
 * Vault's order) and stores, and the exact shape a read gives back.
 */
class CaRolesPathTest {
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

    private final BackendHarness ssh = BackendHarness.create();

    /**
     * Exactly what a current Vault reads back for a CA role written with {@code key_type} and one of
     * the two certificate flags only: every field of a CA role (and no OTP field), with its default.
     */
    private static Map<String, Object> defaults(String flag) {
        Map<String, Object> d = new TreeMap<>();
        for (String text : List.of("allowed_users", "allowed_domains", "default_user", "allowed_critical_options",
                "allowed_extensions", "key_id_format")) {
            d.put(text, "");
        }
        for (String bool : List.of("allowed_users_template", "allowed_domains_template", "default_user_template",
                "default_extensions_template", "allow_user_certificates", "allow_host_certificates",
                "allow_bare_domains", "allow_subdomains", "allow_user_key_ids", "allow_empty_principals")) {
            d.put(bool, false);
        }
        d.put(flag, true);
        d.put("key_type", "ca");
        d.put("ttl", 0L);
        d.put("max_ttl", 0L);
        d.put("not_before_duration", 30L);
        d.put("algorithm_signer", "default");
        d.put("issuer_ref", "default"); // OpenBao's field: the issuer the role signs with
        d.put("default_critical_options", Map.of());
        d.put("default_extensions", Map.of());
        d.put("allowed_user_key_lengths", Map.of());
        return d;
    }

    private Map<String, Object> read(String name) {
        Reply r = ssh.read("roles/" + name);
        assertNull(r.secret(), "a role read is not leased");
        return r.data();
    }

    // ---- write and read ----

    @Test
    void everyCaFieldRoundTripsWithVaultsReadTypes() {
        ssh.writeJson("roles/full", FULL).assertNoContent();
        Map<String, Object> expected = defaults("allow_user_certificates");
        expected.putAll(Map.of("default_user", "alice", "allowed_users", "alice,bob, carol",
                "allowed_domains", "example.com, example.org", "allowed_critical_options", "force-command, source-address",
                "allowed_extensions", "permit-pty,permit-X11-forwarding",
                "key_id_format", "{{role_name}}-{{token_display_name}}-{{public_key_hash}}",
                "algorithm_signer", "rsa-sha2-512"));
        for (String flag : List.of("default_user_template", "allowed_users_template", "allowed_domains_template",
                "default_extensions_template", "allow_host_certificates", "allow_bare_domains", "allow_subdomains",
                "allow_user_key_ids", "allow_empty_principals")) {
            expected.put(flag, true);
        }
        // Durations are whole seconds as numbers, whatever form was written.
        expected.putAll(Map.of("ttl", 3600L, "max_ttl", 7200L, "not_before_duration", 120L));
        // Map values of any scalar type are stored as strings (Go %v).
        expected.put("default_critical_options", Map.of("force-command", "/bin/true", "limit", "5"));
        expected.put("default_extensions", Map.of("permit-pty", "", "flag", "true", "count", "7", "ratio", "1.5",
                "off", "false"));
        // Key lengths come back as lists of integers, whichever form was written.
        expected.put("allowed_user_key_lengths", Map.of("rsa", List.of(2048), "ec", List.of(256, 384),
                "ed25519", List.of(0), "ssh-rsa", List.of(2048, 4096), "ecdsa-sha2-nistp521", List.of(0)));
        assertEquals(expected, new TreeMap<>(read("full")));
    }

    @Test
    void defaultsOfAMinimalRole() {
        ssh.writeJson("roles/minimal", "{\"key_type\":\"ca\",\"allow_host_certificates\":true}").assertNoContent();
        assertEquals(defaults("allow_host_certificates"), new TreeMap<>(read("minimal")));
    }

    @Test
    void aWriteReplacesTheWholeRole() {
        ssh.writeJson("roles/replaced", FULL).assertNoContent();
        ssh.writeJson("roles/replaced", "{\"key_type\":\"CA\",\"allow_user_certificates\":true}").assertNoContent();
        assertEquals(defaults("allow_user_certificates"), new TreeMap<>(read("replaced")));
    }

    @Test
    void caRolesIgnoreOtpOnlyFields() {
        // default_user is optional for CA roles; port and CIDR fields are accepted but not kept.
        ssh.writeJson("roles/ca-otp-fields", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"port\":0,"
                + "\"cidr_list\":\"192.168.0.0/16\"}").assertNoContent();
        assertEquals(defaults("allow_user_certificates"), new TreeMap<>(read("ca-otp-fields")));
    }

    /** One field of the written role, read back. */
    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role fields besides key_type and allow_user_certificates | field read back   | value
            "algorithm_signer":""                                       | algorithm_signer  | default
            "algorithm_signer":"default"                                | algorithm_signer  | default
            "algorithm_signer":"ssh-rsa"                                | algorithm_signer  | ssh-rsa
            "algorithm_signer":"rsa-sha2-256"                           | algorithm_signer  | rsa-sha2-256
            "algorithm_signer":"rsa-sha2-512"                           | algorithm_signer  | rsa-sha2-512
            # a TTL equal to max_ttl, a TTL without a maximum, a maximum alone
            "ttl":"1h","max_ttl":3600                                   | ttl               | 3600
            "ttl":"100h"                                                | ttl               | 360000
            "max_ttl":"1m"                                              | max_ttl           | 60
            """)
    void anAcceptedValueIsStored(String fields, String field, String stored) {
        ssh.writeJson("roles/r", "{\"key_type\":\"ca\",\"allow_user_certificates\":true," + fields + "}")
                .assertNoContent();
        Object value = read("r").get(field);
        assertEquals(stored, String.valueOf(value));
        assertEquals(field.contains("ttl") ? Long.class : String.class, value.getClass());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # JSON value of ttl and not_before_duration | seconds
            300                                         | 300
            "300"                                       | 300
            "5m"                                        | 300
            "1h30m"                                     | 5400
            "7d"                                        | 604800
            0                                           | 0
            ""                                          | 0
            90.9                                        | 90
            "250ms"                                     | 0
            """)
    void durationFormsBecomeWholeSeconds(String json, long seconds) {
        ssh.writeJson("roles/durations", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"ttl\":" + json
                + ",\"not_before_duration\":" + json + "}").assertNoContent();
        Map<String, Object> d = read("durations");
        assertEquals(seconds, d.get("ttl"));
        assertEquals(0L, d.get("max_ttl"));
        // An explicit zero or empty not_before_duration is kept as zero, not the 30 s default.
        assertEquals(seconds, d.get("not_before_duration"));
    }

    // ---- LIST and DELETE ----

    @Test
    void listShowsTheCaKeyTypeInKeyInfo() {
        ssh.writeJson("roles/ca-user", "{\"key_type\":\"ca\",\"allow_user_certificates\":true}").assertNoContent();
        ssh.writeJson("roles/a-host", "{\"key_type\":\"ca\",\"allow_host_certificates\":true}").assertNoContent();
        ssh.writeJson("roles/otp-role", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}")
                .assertNoContent();
        Map<String, Object> listed = ssh.list("roles").data();
        assertEquals(List.of("a-host", "ca-user", "otp-role"), listed.get("keys"));
        assertEquals(Map.of("a-host", Map.of("key_type", "ca", "issuer_ref", "default"),
                "ca-user", Map.of("key_type", "ca", "issuer_ref", "default"),
                "otp-role", Map.of("key_type", "otp")), listed.get("key_info"));

        ssh.delete("roles/ca-user").assertNoContent();
        assertNull(read("ca-user"), "a read that finds nothing has no body: Vault's 404");
    }

    // ---- refused writes ----

    /**
     * A refused write says why and stores nothing. The CA checks come after the CIDR lists and the
     * key type, in Vault's order: signer, certificate flags, key lengths, TTLs; the last rows have
     * several faults each and are refused for the first.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role body                                                                                        | error
            {"key_type":"ca","allow_user_certificates":true,"algorithm_signer":"rsa-sha2-384"}                 | unknown algorithm signer "rsa-sha2-384"
            {"key_type":"ca","allow_user_certificates":true,"algorithm_signer":"SSH-RSA"}                      | unknown algorithm signer "SSH-RSA"
            {"key_type":"ca","allow_user_certificates":true,"algorithm_signer":"Default"}                      | unknown algorithm signer "Default"
            {"key_type":"ca","allow_user_certificates":true,"algorithm_signer":"ecdsa-sha2-nistp256"}          | unknown algorithm signer "ecdsa-sha2-nistp256"
            {"key_type":"ca","allow_user_certificates":true,"algorithm_signer":"ssh-ed25519"}                  | unknown algorithm signer "ssh-ed25519"
            {"key_type":"ca","allow_user_certificates":true,"algorithm_signer":" default"}                     | unknown algorithm signer " default"
            # quoted as Go's %q quotes
            {"key_type":"ca","allow_user_certificates":true,"algorithm_signer":"a\\"b"}                        | unknown algorithm signer "a\\"b"
            {"key_type":"ca"}                                                                                  | Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'
            {"key_type":"ca","allow_user_certificates":false,"allow_host_certificates":"false","default_user":"alice","allowed_users":"*"} | Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":"abc"}}          | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":[2048,"x"]}}     | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":"2048,four"}}    | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":1.5}}            | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":true}}           | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"ed25519":{"a":1}}}    | error processing allowed_user_key_lengths: …
            # 2^64 + 2048 and 2^32 + 2048 do not wrap around to 2048; absurd exponents are refused unexpanded
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":18446744073709553664}} | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":4294969344}}     | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":1e2000000000}}   | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":[1e-2000000000]}} | error processing allowed_user_key_lengths: …
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":"rsa=2048"}             | Field validation failed: error converting input rsa=2048 for field "allowed_user_key_lengths": …
            {"key_type":"ca","allow_user_certificates":true,"ttl":"2h","max_ttl":"1h"}                         | "ttl" value must be less than "max_ttl" when both are specified
            {"key_type":"ca","allow_host_certificates":true,"ttl":61,"max_ttl":"1m"}                           | "ttl" value must be less than "max_ttl" when both are specified
            {"key_type":"ca","allow_user_certificates":true,"ttl":-5}                                          | Field validation failed: error converting input -5 for field "ttl": cannot provide negative value '-5'
            # the order: the CIDR lists come before the key type is looked at, so they hit CA roles too
            {"key_type":"ca","cidr_list":"bogus","algorithm_signer":"x"}                                       | failed to validate cidr_list: invalid CIDR address: bogus
            {"key_type":"ca","algorithm_signer":"x","allowed_user_key_lengths":{"rsa":"x"},"ttl":2,"max_ttl":1} | unknown algorithm signer "x"
            {"key_type":"ca","allowed_user_key_lengths":{"rsa":"x"},"ttl":2,"max_ttl":1}                       | Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'
            {"key_type":"ca","allow_user_certificates":true,"allowed_user_key_lengths":{"rsa":"x"},"ttl":2,"max_ttl":1} | error processing allowed_user_key_lengths: …
            """)
    void aRefusedWriteSaysWhyAndStoresNothing(String body, String error) {
        CaMount.assertRefused(ssh.writeJson("roles/refused", body), error);
        assertNull(read("refused"), "nothing is stored");
    }
}
