package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code sign/:role} on the engine itself, checked by {@code ssh-keygen -L}: the caller's token
 * facts fill the identity template and the key ID, and the engine's clock sets the validity.
 */
class SignPathTest {
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static SshKeygen.KeyPair user;

    private final BackendHarness ssh = BackendHarness.create();
    private String caPublicKey;

    @BeforeAll
    static void userKey() {
        user = SshKeygen.generate("ed25519", 0);
    }

    @BeforeEach
    void caAndRole() {
        caPublicKey = (String) ssh.write("config/ca", Map.of("key_type", "ed25519")).data().get("public_key");
        ssh.write("roles/dev", Map.of("key_type", "ca", "allow_user_certificates", true,
                "allowed_users", "{{identity.entity.metadata.user}},ops", "allowed_users_template", true,
                "default_extensions", Map.of("permit-pty", ""), "allowed_extensions", "permit-pty",
                "ttl", "30m")).assertNoContent();
        ssh.setClock(NOW).as(new Caller("token-ci", "accessor-ci", Map.of("user", "alice")));
    }

    @Test
    void theCertificateCarriesTheCallersIdentityAndTheEnginesTime() {
        String signed = (String) ssh.write("sign/dev", Map.of("public_key", user.publicKeyText(),
                "valid_principals", "alice")).data().get("signed_key");
        KeygenListing c = SshKeygen.inspect(signed);
        assertEquals("ssh-ed25519-cert-v01@openssh.com user certificate", c.type(), c.raw());
        assertEquals(user.fingerprint().sha256(), c.publicKeyFingerprint(), c.raw());
        assertEquals(SshKeygen.fingerprint(caPublicKey).sha256(), c.caFingerprint(), c.raw());
        assertEquals("vault-token-ci-" + user.blobSha256Hex(), c.keyId(), c.raw());
        assertEquals(List.of("alice"), c.principals(), c.raw());
        assertEquals(List.of("permit-pty"), c.extensions(), c.raw());
        assertEquals(NOW.minusSeconds(30), c.validFrom(), "Vault back-dates by the role's not_before_duration");
        assertEquals(NOW.plusSeconds(30 * 60), c.validTo(), "the role's ttl");
    }

    @Test
    void aPrincipalOutsideTheCallersTemplateIsRefused() {
        ssh.write("sign/dev", Map.of("public_key", user.publicKeyText(), "valid_principals", "bob"))
                .assertError(400, "bob is not a valid value for valid_principals");
        ssh.as(new Caller("token-bob", "accessor-bob", Map.of("user", "bob")))
                .write("sign/dev", Map.of("public_key", user.publicKeyText(), "valid_principals", "bob")).ok();
    }
}
