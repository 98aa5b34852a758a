package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.Reply;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The certificate inventory on the engine itself: what {@code sign} and {@code issue} record
 * (checked against {@code ssh-keygen -L} of the certificate), the listing's filters and pages, the
 * notes that may change, the settings and the tidy.
 */
class InventoryTest {
    static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static final Caller ALICE = new Caller("token-alice", "accessor-alice", Map.of());
    private static SshKeygen.KeyPair ed25519;
    private static SshKeygen.KeyPair p256;

    private final BackendHarness ssh = BackendHarness.create().setClock(NOW);

    @BeforeAll
    static void keys() {
        ed25519 = SshKeygen.generate("ed25519", 0);
        p256 = SshKeygen.generate("ecdsa", 256);
    }

    private void mount() {
        ssh.writeJson("config/ca", "{\"key_type\":\"ed25519\"}").ok();
        role("dev", "\"allowed_users\":\"*\",\"ttl\":\"1h\"");
        role("ops", "\"allowed_users\":\"*\",\"ttl\":\"2h\"");
    }

    private void role(String name, String more) {
        ssh.writeJson("roles/" + name, "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allow_host_certificates\":true,"
                + "\"allow_user_key_ids\":true,\"default_user\":\"ubuntu\"," + more + "}").assertNoContent();
    }

    private Map<String, Object> sign(String role, SshKeygen.KeyPair key, String more) {
        return ssh.writeJson("sign/" + role, "{\"public_key\":\"" + key.line() + "\"" + (more.isEmpty() ? "" : "," + more) + "}").data();
    }

    private Reply signReply(String role, SshKeygen.KeyPair key, String more) {
        return ssh.writeJson("sign/" + role, "{\"public_key\":\"" + key.line() + "\"" + (more.isEmpty() ? "" : "," + more) + "}");
    }

    private Reply list(Object... query) {
        return ssh.handle(Operation.LIST, "certs/", BackendHarness.fields(query));
    }

    @SuppressWarnings("unchecked")
    private static List<String> keys(Reply r) {
        return r.ok().hasBody() ? (List<String>) r.data().get("keys") : List.of();
    }

    @Test
    void signRecordsWhatTheCertificateSaysAndWhoAskedForIt() {
        mount();
        ssh.as(ALICE).from("10.1.2.3");
        Map<String, Object> signed = sign("dev", ed25519, "\"valid_principals\":\"alice,deploy\",\"key_id\":\"alice-laptop\","
                + "\"description\":\"Alice's laptop\",\"metadata\":\"{\\\"ticket\\\":\\\"OPS-7\\\"}\"");
        String serial = (String) signed.get("serial_number");
        KeygenListing listing = SshKeygen.inspect((String) signed.get("signed_key"));
        Map<String, Object> record = ssh.read("cert/" + serial).data();
        assertEquals(serial, record.get("serial_number"));
        assertEquals(listing.keyId(), record.get("key_id"));
        assertEquals(listing.principals(), record.get("principals"));
        assertEquals(signed.get("issuer_id"), record.get("issuer_id"));
        assertEquals("dev", record.get("role"));
        assertEquals("user", record.get("cert_type"));
        assertEquals(listing.validFrom().toString(), record.get("valid_after"));
        assertEquals(listing.validTo().toString(), record.get("valid_before"));
        assertEquals("ssh-ed25519", record.get("key_type"));
        assertEquals(ed25519.fingerprint().sha256(), record.get("key_fingerprint"));
        assertEquals("accessor-alice", record.get("token_accessor"));
        assertEquals("token-alice", record.get("token_display_name"));
        assertEquals("10.1.2.3", record.get("remote_address"));
        assertEquals(NOW.toString(), record.get("issued_at"));
        assertEquals("Alice's laptop", record.get("description"));
        assertEquals("{\"ticket\":\"OPS-7\"}", record.get("metadata"));
        assertEquals(signed.get("signed_key"), record.get("signed_key"));
        assertEquals("valid", record.get("state"));
        assertNull(record.get("revocation_time"));
        // the leading zeros of the listing's key, and ssh-keygen's colon form, name the same record
        String padded = Serials.key(Long.parseUnsignedLong(serial, 16));
        assertEquals(serial, ssh.read("cert/" + padded).data().get("serial_number"));
    }

    @Test
    void issueRecordsTheKeyItReturned() {
        mount();
        Map<String, Object> issued = ssh.writeJson("issue/dev", "{\"key_type\":\"ed25519\",\"valid_principals\":\"alice\"}").data();
        String publicKey = SshKeygen.publicKeyOf((String) issued.get("private_key"));
        Map<String, Object> record = ssh.read("cert/" + issued.get("serial_number")).data();
        assertEquals(SshKeygen.fingerprint(publicKey).sha256(), record.get("key_fingerprint"));
        assertEquals(issued.get("signed_key"), record.get("signed_key"));
        assertEquals(SshKeygen.fingerprint(publicKey).sha256(),
                SshKeygen.fingerprint((String) record.get("signed_key")).sha256(), "the certificate certifies the returned key");
    }

    @ParameterizedTest(name = "{0} of {1} is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            description | 255 | accepted
            description | 256 | error: description is 256 characters, longer than the 255 allowed
            metadata    | 4096 | accepted
            metadata    | 4097 | error: metadata is 4097 bytes, longer than the 4096 allowed
            """)
    void notesHaveLimitsAndAnOversizedOneStoresNothing(String field, int length, String outcome) {
        mount();
        String value = "x".repeat(length);
        for (String path : List.of("sign/dev", "issue/dev")) {
            String body = path.startsWith("sign") ? "{\"public_key\":\"" + ed25519.line() + "\",\"" + field + "\":\"" + value + "\"}"
                    : "{\"key_type\":\"ed25519\",\"" + field + "\":\"" + value + "\"}";
            Reply r = ssh.writeJson(path, body);
            if (outcome.equals("accepted")) {
                assertEquals(value, ssh.read("cert/" + r.data().get("serial_number")).data().get(field));
            } else {
                r.assertError(400, outcome.substring("error: ".length()));
            }
        }
        if (!outcome.equals("accepted")) {
            assertEquals(List.of(), keys(list()), "a refused request records nothing");
        }
    }

    @Test
    void metadataIsCountedInBytes() {
        mount();
        signReply("dev", ed25519, "\"metadata\":\"" + "é".repeat(2049) + "\"")
                .assertError(400, "metadata is 4098 bytes, longer than the 4096 allowed");
        signReply("dev", ed25519, "\"description\":\"" + "é".repeat(255) + "\"").ok();
    }

    /** Certificates the filter rows pick from, by label. */
    private Map<String, String> population() {
        ssh.writeJson("issuers/import/second", "{\"key_type\":\"ed25519\"}").ok();
        role("second", "\"allowed_users\":\"*\",\"ttl\":\"1h\",\"issuer_ref\":\"second\"");
        Map<String, String> serials = new LinkedHashMap<>();
        serials.put("a", (String) sign("dev", ed25519, "\"valid_principals\":\"alice\",\"key_id\":\"id-a\"").get("serial_number"));
        serials.put("b", (String) sign("dev", p256, "\"valid_principals\":\"alice,bob\",\"key_id\":\"id-b\"").get("serial_number"));
        serials.put("c", (String) sign("ops", ed25519, "\"valid_principals\":\"bob\",\"key_id\":\"id-c\",\"ttl\":\"30m\"").get("serial_number"));
        serials.put("d", (String) sign("second", p256, "\"valid_principals\":\"carol\",\"key_id\":\"id-d\"").get("serial_number"));
        ssh.advanceClock(Duration.ofMinutes(10));
        serials.put("e", (String) sign("dev", ed25519, "\"valid_principals\":\"dave\",\"key_id\":\"id-e\",\"ttl\":\"5m\"").get("serial_number"));
        ssh.write("revoke", Map.of("serial_number", serials.get("b"), "reason", "laptop lost")).ok();
        ssh.advanceClock(Duration.ofMinutes(25)); // c (30 m from the start) and e (5 m) have expired
        return serials;
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            (none)          |                       | a b c d e
            principal       | alice                 | a b
            principal       | bob                   | b c
            principal       | nobody                |
            role            | dev                   | a b e
            role            | second                | d
            issuer_ref      | second                | d
            issuer_ref      | default               | a b c e
            key_fingerprint | FP_P256               | b d
            key_fingerprint | FP_P256_BARE          | b d
            key_id          | id-c                  | c
            state           | valid                 | a d
            state           | expired               | c e
            state           | revoked               | b
            state           | REVOKED               | b
            valid_at        | 2030-01-02T03:04:05Z  | a b c d
            valid_at        | 2030-01-02T03:50:00Z  | a b d
            valid_at        | 1893553445            | a b c d
            valid_at        | 2030-01-02T05:10:00Z  |
            """)
    void filters(String field, String value, String expected) {
        mount();
        Map<String, String> serials = population();
        Object v = value == null ? null : switch (value) {
            case "FP_P256" -> p256.fingerprint().sha256();
            case "FP_P256_BARE" -> p256.fingerprint().sha256().substring("SHA256:".length());
            default -> value;
        };
        Reply r = field.equals("(none)") ? list() : list(field, v);
        TreeSet<String> got = new TreeSet<>();
        for (String key : keys(r)) {
            serials.forEach((label, serial) -> {
                if (Serials.key(Long.parseUnsignedLong(serial, 16)).equals(key)) {
                    got.add(label);
                }
            });
        }
        TreeSet<String> want = new TreeSet<>(expected == null ? List.of() : List.of(expected.split(" ")));
        assertEquals(want, got);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            state      | current  | state must be one of valid, expired or revoked, not "current"
            valid_at   | tomorrow | valid_at must be an RFC 3339 time (2026-01-02T15:04:05Z) or seconds since the epoch, not "tomorrow"
            issuer_ref | nosuch   | unable to find issuer for reference: nosuch
            limit      | 0        | limit must be between 1 and 10000
            limit      | 10001    | limit must be between 1 and 10000
            after      | xyz      | invalid serial number "xyz": expected at most 16 hex digits, as in the serial_number of a sign or issue answer
            """)
    void badListingRequestsAreRefused(String field, String value, String error) {
        mount();
        list(field, value).assertError(400, error);
    }

    @Test
    void keyInfoSummarisesEachEntry() {
        mount();
        Map<String, Object> signed = sign("dev", ed25519, "\"valid_principals\":\"alice\"");
        Reply r = list();
        String key = keys(r).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) ((Map<String, Object>) r.data().get("key_info")).get(key);
        assertEquals(signed.get("serial_number"), info.get("serial_number"));
        assertEquals(List.of("alice"), info.get("principals"));
        assertEquals("valid", info.get("state"));
        assertEquals("dev", info.get("role"));
    }

    @Test
    void pagesCoverEveryRecordOnceInOrder() {
        mount();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(Serials.key(Long.parseUnsignedLong((String) sign("dev", ed25519, "").get("serial_number"), 16)));
        }
        all.sort(String::compareTo);
        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        while (true) {
            Reply r = after.isEmpty() ? list("limit", 10) : list("limit", 10, "after", after);
            List<String> page = keys(r);
            seen.addAll(page);
            pages++;
            Object next = r.ok().hasBody() ? r.data().get("next_after") : null;
            if (next == null) {
                break;
            }
            assertEquals(page.get(page.size() - 1), next, "the next page starts after the last key");
            after = (String) next;
        }
        assertEquals(all, seen);
        assertEquals(3, pages);
        // after a key in Vault's form (no leading zeros), and after the last key
        String unpadded = Long.toHexString(Long.parseUnsignedLong(all.get(4), 16));
        assertEquals(all.subList(5, 25), keys(list("after", unpadded)));
        assertFalse(list("after", all.get(24)).ok().hasBody(), "nothing after the last key: 404");
        assertEquals(all, keys(list("limit", 25)));
        assertEquals(all.subList(0, 1), keys(list("limit", 1)));
        assertEquals(all.subList(24, 25), keys(list("limit", 1, "after", all.get(23))));
        assertNull(list("limit", 1, "after", all.get(23)).data().get("next_after"), "the last page says there is no next");
    }

    @Test
    void aFilteredListingGoesOnFromWhereItStopped() {
        mount();
        List<String> bobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Map<String, Object> s = sign("dev", i % 3 == 0 ? p256 : ed25519, "");
            if (i % 3 == 0) {
                bobs.add(Serials.key(Long.parseUnsignedLong((String) s.get("serial_number"), 16)));
            }
        }
        bobs.sort(String::compareTo);
        List<String> seen = new ArrayList<>();
        String after = "";
        while (true) {
            Reply r = list("limit", 2, "after", after, "key_fingerprint", p256.fingerprint().sha256());
            seen.addAll(keys(r));
            Object next = r.ok().hasBody() ? r.data().get("next_after") : null;
            if (next == null) {
                break;
            }
            after = (String) next;
        }
        assertEquals(bobs, seen);
    }

    @Test
    void onlyTheNotesChange() {
        mount();
        String serial = (String) sign("dev", ed25519, "\"description\":\"first\",\"metadata\":\"m1\"").get("serial_number");
        Map<String, Object> patched = ssh.handle(Operation.PATCH, "cert/" + serial, Map.of("description", "second")).data();
        assertEquals("second", patched.get("description"));
        assertEquals("m1", patched.get("metadata"), "a field left out stays");
        ssh.write("cert/" + serial, Map.of("metadata", "m2")).ok();
        Map<String, Object> read = ssh.read("cert/" + serial).data();
        assertEquals("second", read.get("description"));
        assertEquals("m2", read.get("metadata"));
        ssh.handle(Operation.PATCH, "cert/" + serial, Map.of("description", "")).ok();
        assertEquals("", ssh.read("cert/" + serial).data().get("description"), "an empty value clears it");
        ssh.handle(Operation.PATCH, "cert/" + serial, Map.of("principals", "root"))
                .assertError(400, "only description and metadata of a certificate record can change, not principals");
        ssh.handle(Operation.PATCH, "cert/" + serial, Map.of("metadata", "x".repeat(4097)))
                .assertError(400, "metadata is 4097 bytes, longer than the 4096 allowed");
        assertEquals("m2", ssh.read("cert/" + serial).data().get("metadata"), "a refused change changes nothing");
        ssh.handle(Operation.PATCH, "cert/1234", Map.of("description", "x"))
                .assertError(404, "no certificate with serial 1234 is recorded");
        assertFalse(ssh.read("cert/1234").ok().hasBody());
        ssh.read("cert/not-hex").assertError(400,
                "invalid serial number \"not-hex\": expected at most 16 hex digits, as in the serial_number of a sign or issue answer");
    }

    @Test
    void settingsTurnRecordingOffAndSetTheRetention() {
        mount();
        assertEquals(Map.of("store_certificates", true, "retention", 604800L), ssh.read("config/inventory").data());
        ssh.write("config/inventory", Map.of("store_certificates", false)).ok();
        sign("dev", ed25519, "");
        assertEquals(List.of(), keys(list()));
        ssh.write("config/inventory", Map.of("store_certificates", true, "retention", "1h")).ok();
        assertEquals(Map.of("store_certificates", true, "retention", 3600L), ssh.read("config/inventory").data());
        ssh.write("config/inventory", Map.of("retention", -5)).assertError(400,
                "Field validation failed: error converting input -5 for field \"retention\": cannot provide negative value '-5'");
    }

    @Test
    void aTidyRemovesRecordsPastTheirRetentionOnly() {
        mount();
        ssh.write("config/inventory", Map.of("retention", "1h")).ok();
        String shortLived = (String) sign("dev", ed25519, "\"ttl\":\"10m\"").get("serial_number");
        String longLived = (String) sign("ops", ed25519, "").get("serial_number");
        ssh.advanceClock(Duration.ofMinutes(69));
        assertEquals(0, ssh.write("tidy/certs", Map.of()).data().get("records_removed"), "expired, but within the retention");
        ssh.advanceClock(Duration.ofMinutes(2));
        assertEquals(1, ssh.write("tidy/certs", Map.of()).data().get("records_removed"));
        assertFalse(ssh.read("cert/" + shortLived).ok().hasBody());
        assertTrue(ssh.read("cert/" + longLived).ok().hasBody());
        ssh.advanceClock(Duration.ofHours(3));
        ssh.backend().periodic(); // the periodic tidy removes the other
        assertFalse(ssh.read("cert/" + longLived).ok().hasBody());
    }
}
