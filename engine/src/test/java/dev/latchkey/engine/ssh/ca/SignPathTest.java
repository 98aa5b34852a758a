package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code sign/:role} on the engine itself, checked by {@code ssh-keygen -L}: the caller's token
 * facts fill the identity templates and the key ID, and the engine's clock sets the validity.
 * Identity templates draw on the token, as Latchkey has no identity store (README, "Deliberate
 * differences from Vault"): {@code identity.entity.name} is its display name,
 * {@code identity.entity.id} its accessor, {@code identity.entity.metadata.*} its meta.
 */
class SignPathTest {
    private static final Caller ALICE = new Caller("token-alice", "accessor-alice", Map.of("email", "alice@example.com",
            "login", "alice", "domain", "alice.example.net"));

    private final CaMount ca = CaMount.ed25519();

    private void devRole() {
        ca.role("dev", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                + "\"allowed_users\":\"{{identity.entity.metadata.user}},ops\",\"allowed_users_template\":true,"
                + "\"default_extensions\":{\"permit-pty\":\"\"},\"allowed_extensions\":\"permit-pty\",\"ttl\":\"30m\"}");
        ca.ssh.as(new Caller("token-ci", "accessor-ci", Map.of("user", "alice")));
    }

    @Test
    void theCertificateCarriesTheCallersIdentityAndTheEnginesTime() {
        devRole();
        SshKeygen.KeyPair user = CaMount.key("ed25519");
        KeygenListing c = ca.signed("dev", user, "\"valid_principals\":\"alice\"");
        assertEquals("ssh-ed25519-cert-v01@openssh.com user certificate", c.type(), c.raw());
        assertEquals(user.fingerprint().sha256(), c.publicKeyFingerprint(), c.raw());
        assertEquals(ca.fingerprint().sha256(), c.caFingerprint(), c.raw());
        assertEquals("vault-token-ci-" + user.blobSha256Hex(), c.keyId(), c.raw());
        assertEquals(List.of("alice"), c.principals(), c.raw());
        assertEquals(List.of("permit-pty"), c.extensions(), c.raw());
        assertEquals(CaMount.NOW.minusSeconds(30), c.validFrom(), "Vault back-dates by the role's not_before_duration");
        assertEquals(CaMount.NOW.plusSeconds(30 * 60), c.validTo(), "the role's ttl");
    }

    @Test
    void aPrincipalOutsideTheCallersTemplateIsRefused() {
        devRole();
        ca.sign("dev", CaMount.key("ed25519"), "\"valid_principals\":\"bob\"")
                .assertError(400, "bob is not a valid value for valid_principals");
        ca.ssh.as(new Caller("token-bob", "accessor-bob", Map.of("user", "bob")));
        ca.signed("dev", CaMount.key("ed25519"), "\"valid_principals\":\"bob\"");
    }

    /**
     * {@code alice} is a token with display name {@code token-alice}, accessor
     * {@code accessor-alice} and meta email, login and domain; {@code root} is the harness's root
     * token, display name {@code root} and no meta. A template that cannot be rendered is a 400
     * where Vault answers 500 (README, "Deliberate differences from Vault"). Without its
     * {@code *_template} flag a template is literal text.
     */
    @ParameterizedTest(name = "[{index}] {0}: {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # caller | role fields besides key_type (ca)                                                                                                              | request                                                          | outcome
            alice    | "allow_user_certificates":true,"allowed_users":"{{identity.entity.metadata.email}},ops","allowed_users_template":true                          | "valid_principals":"alice@example.com,ops"                        | principals: alice@example.com,ops
            alice    | "allow_user_certificates":true,"allowed_users":"{{identity.entity.metadata.email}},ops","allowed_users_template":true                          | "valid_principals":"bob"                                          | error: bob is not a valid value for valid_principals
            root     | "allow_user_certificates":true,"allowed_users":"{{identity.entity.metadata.email}},ops","allowed_users_template":true                          | "valid_principals":"ops"                                          | error: template '{{identity.entity.metadata.email}},ops' could not be rendered -> …
            alice    | "allow_user_certificates":true,"allowed_users":"{{identity.entity.metadata.nope}}","allowed_users_template":true                               | "valid_principals":"alice"                                        | error: template '{{identity.entity.metadata.nope}}' could not be rendered -> …
            alice    | "allow_user_certificates":true,"allowed_users":"{{identity.entity.metadata.email}},ops"                                                        | "valid_principals":"alice@example.com"                            | error: alice@example.com is not a valid value for valid_principals
            root     | "allow_user_certificates":true,"allowed_users":"{{identity.entity.metadata.email}},ops"                                                        | "valid_principals":"{{identity.entity.metadata.email}}"           | principals: {{identity.entity.metadata.email}}
            alice    | "allow_user_certificates":true,"default_user":"{{identity.entity.metadata.login}}","default_user_template":true,"allowed_users":"alice"         |                                                                   | principals: alice
            alice    | "allow_user_certificates":true,"default_user":"{{identity.entity.metadata.login}}","allowed_users":"alice"                                     |                                                                   | error: {{identity.entity.metadata.login}} is not a valid value for valid_principals
            alice    | "allow_user_certificates":true,"default_user":"{{identity.entity.name}}","default_user_template":true,"allowed_users":"*"                       |                                                                   | principals: token-alice
            root     | "allow_user_certificates":true,"default_user":"{{identity.entity.name}}","default_user_template":true,"allowed_users":"*"                       |                                                                   | principals: root
            alice    | "allow_user_certificates":true,"default_user":"{{identity.entity.metadata.nope}}","default_user_template":true,"allowed_users":"*"              |                                                                   | error: template '{{identity.entity.metadata.nope}}' could not be rendered -> …
            alice    | "allow_host_certificates":true,"allow_subdomains":true,"allowed_domains":"{{identity.entity.metadata.domain}}","allowed_domains_template":true  | "cert_type":"host","valid_principals":"web.alice.example.net"     | principals: web.alice.example.net
            alice    | "allow_host_certificates":true,"allow_subdomains":true,"allowed_domains":"{{identity.entity.metadata.domain}}","allowed_domains_template":true  | "cert_type":"host","valid_principals":"web.example.com"           | error: web.example.com is not a valid value for valid_principals
            alice    | "allow_host_certificates":true,"allow_subdomains":true,"allowed_domains":"{{identity.entity.metadata.nope}}","allowed_domains_template":true    | "cert_type":"host","valid_principals":"web.alice.example.net"     | error: template '{{identity.entity.metadata.nope}}' could not be rendered -> …
            alice    | "allow_user_certificates":true,"allowed_users":"*","default_extensions_template":true,"default_extensions":{"login@example.com":"{{identity.entity.name}}","id@example.com":"{{identity.entity.id}}","permit-pty":""} | "valid_principals":"x" | extensions: id@example.com=accessor-alice; login@example.com=token-alice; permit-pty
            alice    | "allow_user_certificates":true,"allowed_users":"*","default_extensions":{"login@example.com":"{{identity.entity.name}}"}                        | "valid_principals":"x"                                            | extensions: login@example.com={{identity.entity.name}}
            alice    | "allow_user_certificates":true,"allowed_users":"*","default_extensions_template":true,"default_extensions":{"login@example.com":"{{identity.entity.metadata.nope}}"} | "valid_principals":"x"     | error: template '{{identity.entity.metadata.nope}}' could not be rendered -> …
            """)
    void identityTemplates(String caller, String roleFields, String request, String outcome) {
        ca.ssh.as(caller.equals("alice") ? ALICE : BackendHarness.ROOT);
        SshKeygen.KeyPair key = CaMount.key(roleFields.contains("allow_host_certificates") ? "p384" : "ed25519");
        ca.check("{\"key_type\":\"ca\"," + roleFields + "}", key, request, outcome);
    }

    @Test
    void renderedExtensionValuesAreTheCertificatesOwn() {
        // Second opinion with Latchkey's codec: the values themselves, which ssh-keygen shows only wrapped.
        ca.role("ext", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"default_extensions_template\":true,\"default_extensions\":{\"login@example.com\":"
                + "\"{{identity.entity.name}}\",\"id@example.com\":\"{{identity.entity.id}}\",\"permit-pty\":\"\"}}");
        ca.ssh.as(ALICE);
        String signed = CaMount.certificate(ca.sign("ext", CaMount.key("ed25519"), "\"valid_principals\":\"x\""))
                .signedKey();
        assertEquals(Map.of("login@example.com", "token-alice", "id@example.com", "accessor-alice", "permit-pty", ""),
                SshCertificate.parse(signed.strip()).extensions());
    }
}
