package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.framework.Response;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Revocation and the KRL on the engine itself, with {@code ssh-keygen -Q} as the judge of what the
 * published list revokes: by serial, by key ID (under one issuer or any CA), by key; kept when the
 * record goes; dropped once the certificate has expired; versions that only grow.
 */
class RevocationTest {
    static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static SshKeygen.KeyPair alice;
    private static SshKeygen.KeyPair bob;
    private static SshKeygen.KeyPair foreignCa;

    private final BackendHarness ssh = BackendHarness.create().setClock(NOW);
    private final Path dir = TestFiles.scratch();

    @BeforeAll
    static void keys() {
        alice = SshKeygen.generate("ed25519", 0);
        bob = SshKeygen.generate("ecdsa", 256);
        foreignCa = SshKeygen.generate("ed25519", 0);
    }

    private void mount() {
        ssh.writeJson("config/ca", "{\"key_type\":\"ed25519\"}").ok();
        ssh.writeJson("roles/dev", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allow_user_key_ids\":true,"
                + "\"default_user\":\"ubuntu\",\"allowed_users\":\"*\",\"ttl\":\"1h\"}").assertNoContent();
    }

    /** Signs the key; returns {serial, certificate file}. */
    private String[] sign(SshKeygen.KeyPair key, String more) {
        Map<String, Object> d = ssh.writeJson("sign/dev", "{\"public_key\":\"" + key.line() + "\"" + (more.isEmpty() ? "" : "," + more)
                + "}").data();
        Path file = TestFiles.write(dir.resolve("cert-" + d.get("serial_number") + ".pub"), (String) d.get("signed_key"));
        return new String[] {(String) d.get("serial_number"), file.toString()};
    }

    private Path krl() {
        Response r = ssh.read("krl").ok();
        assertEquals("application/octet-stream", r.raw().contentType());
        Path file = dir.resolve("krl-" + System.nanoTime());
        try {
            Files.write(file, r.raw().body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private String etag() {
        return ssh.read("krl").ok().raw().etag();
    }

    private long version(Path krl) {
        String listing = SshKeygen.run("-Q", "-l", "-f", krl.toString(), alice.publicKeyFile().toString()).stdout();
        return Long.parseLong(listing.lines().filter(l -> l.startsWith("# KRL version ")).findFirst().orElseThrow()
                .substring("# KRL version ".length()));
    }

    /** {@code ssh-keygen -Q}: true when the KRL revokes the key or certificate in the file. */
    private static boolean revoked(Path krl, String file) {
        Commands.Result r = SshKeygen.run("-Q", "-f", krl.toString(), file);
        if (r.exitCode() != 0 && r.exitCode() != 1) {
            throw new AssertionError("ssh-keygen could not read the KRL: " + r.describe());
        }
        return r.exitCode() == 1;
    }

    @Test
    void aFreshMountPublishesAnEmptyListThatRevokesNothing() {
        mount();
        String[] cert = sign(alice, "");
        Path krl = krl();
        assertFalse(revoked(krl, cert[1]));
        assertEquals(1, version(krl));
        assertEquals(etag(), etag(), "the same list keeps its tag");
    }

    @Test
    void aSerialRevokedIsRevokedAndOnlyIt() {
        mount();
        String[] one = sign(alice, "");
        String[] two = sign(alice, "");
        long before = version(krl());
        String tagBefore = etag();
        Map<String, Object> answer = ssh.write("revoke", Map.of("serial_number", one[0], "reason", "key compromise")).data();
        assertEquals(one[0], answer.get("serial_number"));
        assertEquals(true, answer.get("recorded"));
        Path krl = krl();
        assertTrue(revoked(krl, one[1]));
        assertFalse(revoked(krl, two[1]), "another certificate of the same key and CA");
        assertEquals(before + 1, version(krl));
        assertEquals(answer.get("krl_version"), version(krl));
        assertNotEquals(tagBefore, etag());
        Map<String, Object> record = ssh.read("cert/" + one[0]).data();
        assertEquals("revoked", record.get("state"));
        assertEquals("key compromise", record.get("revocation_reason"));
        assertEquals(NOW.toString(), record.get("revocation_time"));
        assertEquals("valid", ssh.read("cert/" + two[0]).data().get("state"));

        // revoking again publishes nothing new; deleting the record does not un-revoke
        ssh.write("revoke", Map.of("serial_number", one[0])).ok();
        ssh.delete("cert/" + one[0]).ok();
        Path after = krl();
        assertTrue(revoked(after, one[1]));
        assertEquals(version(krl), version(after), "nothing changed in what the list revokes");
    }

    @Test
    void aSerialTheInventoryNeverRecordedIsRevokedUnderTheNamedIssuer() {
        mount();
        ssh.write("config/inventory", Map.of("store_certificates", false)).ok();
        String[] cert = sign(alice, "");
        Map<String, Object> answer = ssh.write("revoke", Map.of("serial_number", cert[0])).data();
        assertEquals(false, answer.get("recorded"));
        assertTrue(revoked(krl(), cert[1]));

        ssh.writeJson("issuers/import/next", "{\"key_type\":\"ed25519\"}").ok();
        ssh.write("config/issuers", Map.of("default", "next")).ok();
        String[] fromNext = sign(alice, "");
        ssh.write("revoke", Map.of("serial_number", fromNext[0], "issuer_ref", "next")).ok();
        Path krl = krl();
        assertTrue(revoked(krl, fromNext[1]));
        assertTrue(revoked(krl, cert[1]), "one section per issuer: the first issuer's revocation stays");
    }

    @Test
    void aKeyIdIsRevokedForAnyCaOrForOneIssuer() {
        mount();
        String[] ours = sign(alice, "\"key_id\":\"build-agent-7\"");
        Path foreign = dir.resolve("foreign.pub");
        TestFiles.write(foreign, alice.publicKeyText());
        SshKeygen.run("-q", "-s", foreignCa.privateKeyFile().toString(), "-I", "build-agent-7", "-z", "99", "-n", "alice",
                foreign.toString()).ok();
        String foreignCert = dir.resolve("foreign-cert.pub").toString();

        ssh.write("revoke", Map.of("key_id", "build-agent-7", "issuer_ref", "default")).ok();
        Path scoped = krl();
        assertTrue(revoked(scoped, ours[1]));
        assertFalse(revoked(scoped, foreignCert), "revoked under the mount's issuer only");
        assertEquals("revoked", ssh.read("cert/" + ours[0]).data().get("state"));

        ssh.write("revoke", Map.of("key_id", "build-agent-7")).ok();
        assertTrue(revoked(krl(), foreignCert), "revoked for certificates of any CA");
    }

    @Test
    void aKeyIsRevokedHoweverItIsPresentedAndIsNeverSignedAgain() {
        mount();
        String[] one = sign(bob, "");
        String[] other = sign(alice, "");
        Map<String, Object> answer = ssh.write("revoke", Map.of("public_key", bob.publicKeyText(), "reason", "left")).data();
        assertEquals(bob.fingerprint().sha256(), answer.get("key_fingerprint"));
        Path krl = krl();
        assertTrue(revoked(krl, one[1]));
        assertTrue(revoked(krl, bob.publicKeyFile().toString()), "the plain key too");
        assertFalse(revoked(krl, other[1]));
        assertEquals("revoked", ssh.read("cert/" + one[0]).data().get("state"));
        ssh.writeJson("sign/dev", "{\"public_key\":\"" + bob.line() + "\"}")
                .assertError(400, "public key " + bob.fingerprint().sha256() + " is revoked and cannot be signed");

        // a certificate line names its key
        ssh.write("revoke", Map.of("public_key", TestFiles.read(Path.of(other[1])))).ok();
        assertTrue(revoked(krl(), alice.publicKeyFile().toString()));
    }

    @Test
    void anExpiredCertificateLeavesTheListAndTheVersionGrows() {
        mount();
        String[] shortLived = sign(alice, "\"ttl\":\"10m\"");
        String[] longLived = sign(alice, "");
        ssh.write("revoke", Map.of("serial_number", shortLived[0])).ok();
        ssh.write("revoke", Map.of("serial_number", longLived[0])).ok();
        long version = version(krl());
        String serialLine = "serial: " + Long.toUnsignedString(Long.parseUnsignedLong(shortLived[0], 16));
        assertTrue(text().contains(serialLine + "\n"), text());
        ssh.advanceClock(Duration.ofMinutes(9));
        ssh.backend().periodic();
        assertEquals(version, version(krl()), "nothing expired yet");
        ssh.advanceClock(Duration.ofMinutes(2));
        ssh.backend().periodic();
        Path krl = krl();
        assertEquals(version + 1, version(krl));
        assertFalse(text().contains(serialLine + "\n"), text());
        assertTrue(revoked(krl, longLived[1]));
        assertEquals("revoked", ssh.read("cert/" + shortLived[0]).data().get("state"), "revoked wins over expired");
    }

    private String text() {
        return new String(ssh.read("krl/text").ok().raw().body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theTextFormSaysWhatTheListRevokes() {
        mount();
        String[] cert = sign(alice, "");
        ssh.write("revoke", Map.of("serial_number", cert[0])).ok();
        ssh.write("revoke", Map.of("key_id", "ci")).ok();
        ssh.write("revoke", Map.of("public_key", bob.publicKeyText())).ok();
        String text = text();
        assertTrue(text.startsWith("# KRL version 3\n# Generated at 2030-01-02T03:04:05Z\n"), text); // the first revocation published version 1
        assertTrue(text.contains("\nkey: " + bob.line() + "\n"), text);
        assertTrue(text.contains("serial: " + Long.toUnsignedString(Long.parseUnsignedLong(cert[0], 16)) + "\n"), text);
        assertTrue(text.contains("# Wildcard CA: key IDs of certificates from any CA\nid: ci\n"), text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nothing              | {}                                                    | exactly one of serial_number, key_id or public_key must be given
            two at once          | {"serial_number":"1f","key_id":"x"}                   | exactly one of serial_number, key_id or public_key must be given
            serial zero          | {"serial_number":"0"}                                 | serial 0 cannot be revoked by serial: revoke the certificate's key_id or public_key
            serial not hex       | {"serial_number":"12g"}                               | invalid serial number "12g": expected at most 16 hex digits, as in the serial_number of a sign or issue answer
            serial too long      | {"serial_number":"11112222333344445"}                 | invalid serial number "11112222333344445": expected at most 16 hex digits, as in the serial_number of a sign or issue answer
            unknown issuer       | {"serial_number":"1f","issuer_ref":"nope"}            | unable to find issuer for reference: nope
            not a key            | {"public_key":"ssh-ed25519 AAAA"}                     | failed to parse public_key as an SSH public key or certificate: …
            reason too long      | {"key_id":"x","reason":"REASON256"}                   | reason is longer than 255 characters
            """)
    void badRevocationsAreRefusedAndChangeNothing(String name, String body, String error) {
        mount();
        long version = version(krl());
        var reply = ssh.writeJson("revoke", body.replace("REASON256", "r".repeat(256)));
        if (error.endsWith(" …")) {
            assertEquals(400, reply.failure().status());
            assertTrue(reply.failure().getMessage().startsWith(error.substring(0, error.length() - 1)), reply.failure().getMessage());
        } else {
            reply.assertError(400, error);
        }
        assertEquals(version, version(krl()));
    }

    @Test
    void aRecordedCertificateIsRevokedOnlyUnderItsOwnIssuer() {
        mount();
        String[] cert = sign(alice, "");
        ssh.writeJson("issuers/import/other", "{\"key_type\":\"ed25519\"}").ok();
        String otherId = (String) ssh.read("issuer/other").data().get("issuer_id");
        String issuerId = (String) ssh.read("cert/" + cert[0]).data().get("issuer_id");
        ssh.write("revoke", Map.of("serial_number", cert[0], "issuer_ref", "other"))
                .assertError(400, "certificate " + cert[0] + " was issued by issuer " + issuerId + ", not " + otherId);
    }
}
