package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.engine.ssh.keys.SshCertificateType;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core of {@code sign/:role} on the engine: for every CA key type × every user key type,
 * {@code sign} produces a certificate that the real {@code ssh-keygen -L} accepts (it verifies the
 * CA signature) and shows field by field as requested; then the role settings that shape the
 * signature itself: {@code algorithm_signer}, {@code not_before_duration} and {@code key_id_format}.
 */
class SignMatrixTest {
    private static final String MATRIX_ROLE = """
            {"key_type":"ca","allow_user_certificates":true,"allow_host_certificates":true,
             "allowed_users":"alice,bob,carol","allowed_domains":"example.com","allow_subdomains":true,
             "allowed_critical_options":"force-command,source-address",
             "allowed_extensions":"permit-pty,permit-port-forwarding,permit-agent-forwarding",
             "ttl":"30m","max_ttl":"2h"}
            """;
    private static final String REQUEST_OPTIONS = "\"valid_principals\":\"carol, alice,carol\",\"ttl\":\"1h\","
            + "\"critical_options\":{\"source-address\":\"10.0.0.0/8,192.168.1.0/24\",\"force-command\":\"/usr/bin/id\"},"
            + "\"extensions\":{\"permit-pty\":\"\",\"permit-port-forwarding\":\"\"}";
    /** The CAs by name, each generated once by {@code config/ca} with a {@code matrix} role. */
    private static final Map<String, CaMount> CAS = new LinkedHashMap<>();

    @BeforeAll
    static void cas() {
        CAS.put("rsa-4096", CaMount.generated("{\"key_type\":\"rsa\"}"));
        CAS.put("ecdsa-p256", CaMount.generated("{\"key_type\":\"ecdsa-sha2-nistp256\"}"));
        CAS.put("ecdsa-p384", CaMount.generated("{\"key_type\":\"ec\",\"key_bits\":384}"));
        CAS.put("ecdsa-p521", CaMount.generated("{\"key_type\":\"ecdsa-sha2-nistp521\"}"));
        CAS.put("ed25519", CaMount.generated("{\"key_type\":\"ssh-ed25519\"}"));
        CAS.values().forEach(ca -> ca.role("matrix", MATRIX_ROLE));
        assertEquals(4096, CAS.get("rsa-4096").fingerprint().bits());
    }

    static Stream<Arguments> pairs() {
        return Stream.of("rsa-4096", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ed25519")
                .flatMap(ca -> Stream.of("rsa2048", "rsa3072", "p256", "ed25519").map(u -> Arguments.of(ca, u)));
    }

    @ParameterizedTest(name = "CA {0} signs user key {1}")
    @MethodSource("pairs")
    void userCertificateFieldByField(String caName, String userName) {
        CaMount ca = CAS.get(caName);
        SshKeygen.KeyPair user = CaMount.key(userName);
        CaMount.Signed signed = CaMount.certificate(ca.sign("matrix", user, REQUEST_OPTIONS));
        assertEquals(Set.of("serial_number", "signed_key", "issuer_id"), signed.data().keySet());
        assertTrue(signed.signedKey().startsWith(user.certificateType() + " "), signed.signedKey());

        KeygenListing c = signed.listing();
        String caType = ca.publicKey().split(" ")[0];
        assertEquals(user.certificateType() + " user certificate", c.type(), c.raw());
        assertEquals(KeygenListing.label(user.type()) + "-CERT", c.publicKeyLabel(), c.raw());
        assertEquals(user.fingerprint().sha256(), c.publicKeyFingerprint(), c.raw());
        assertEquals(KeygenListing.label(caType), c.caLabel(), c.raw());
        assertEquals(ca.fingerprint().sha256(), c.caFingerprint(), c.raw());
        assertEquals(CaMount.defaultSignatureAlgorithm(caType), c.caAlgorithm(), c.raw());
        assertEquals("vault-root-" + user.blobSha256Hex(), c.keyId(), "vault-<display name>-<hash>: " + c.raw());
        CaMount.assertValidity(c, 30, 3600);
        assertEquals(List.of("alice", "carol"), c.principals(), c.raw());
        assertEquals(List.of("force-command /usr/bin/id", "source-address 10.0.0.0/8,192.168.1.0/24"),
                c.criticalOptions(), c.raw());
        assertEquals(List.of("permit-port-forwarding", "permit-pty"), c.extensions(), c.raw());

        // Second opinion with Latchkey's codec: the parts ssh-keygen does not print.
        SshCertificate cert = SshCertificate.parse(signed.signedKey().strip());
        assertEquals(32, cert.nonce().length);
        assertEquals(SshPublicKey.parse(user.line()), cert.key());
        assertEquals(SshPublicKey.parse(ca.publicKey().strip()), cert.signatureKey());
        assertEquals(SshCertificateType.USER, cert.certType());
        assertEquals(signed.serial(), Long.toUnsignedString(cert.serial(), 16));
    }

    @Test
    void theRoleTtlAppliesWhenTheRequestHasNone() {
        KeygenListing c = CAS.get("ecdsa-p256").signed("matrix", CaMount.key("ed25519"), "\"valid_principals\":\"bob\"");
        CaMount.assertValidity(c, 30, 1800);
        assertEquals(List.of("bob"), c.principals());
        assertEquals(List.of(), c.criticalOptions());
        assertEquals(List.of(), c.extensions());
    }

    @Test
    void aBareBase64PublicKeyIsAccepted() {
        SshKeygen.KeyPair user = CaMount.key("rsa2048");
        KeygenListing c = CaMount.certificate(CAS.get("ed25519").ssh.writeJson("sign/matrix", "{\"public_key\":"
                + CaMount.json(user.base64()) + ",\"valid_principals\":\"bob\"}")).listing();
        assertEquals(user.fingerprint().sha256(), c.publicKeyFingerprint());
        assertEquals("ssh-rsa-cert-v01@openssh.com user certificate", c.type());
    }

    @Test
    void hostCertificate() {
        CaMount ca = CAS.get("ecdsa-p384");
        SshKeygen.KeyPair host = CaMount.key("p256");
        KeygenListing c = ca.signed("matrix", host,
                "\"cert_type\":\"host\",\"valid_principals\":\"web.example.com,db.example.com\",\"ttl\":600");
        assertEquals("ecdsa-sha2-nistp256-cert-v01@openssh.com host certificate", c.type(), c.raw());
        assertEquals(host.fingerprint().sha256(), c.publicKeyFingerprint());
        assertEquals(ca.fingerprint().sha256(), c.caFingerprint());
        assertEquals("ecdsa-sha2-nistp384", c.caAlgorithm());
        assertEquals("vault-root-" + host.blobSha256Hex(), c.keyId());
        assertEquals(List.of("db.example.com", "web.example.com"), c.principals());
        assertEquals(List.of(), c.criticalOptions());
        assertEquals(List.of(), c.extensions());
        CaMount.assertValidity(c, 30, 600);
    }

    @ParameterizedTest(name = "algorithm_signer \"{0}\" signs with {1}")
    @CsvSource({"ssh-rsa,ssh-rsa", "rsa-sha2-256,rsa-sha2-256", "rsa-sha2-512,rsa-sha2-512", "default,rsa-sha2-256",
            "'',rsa-sha2-256"})
    void algorithmSignerWithTheRsaCa(String signer, String expected) {
        CaMount ca = CAS.get("rsa-4096");
        String roleName = "signer-" + (signer.isEmpty() ? "empty" : signer);
        ca.role(roleName, "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"algorithm_signer\":" + CaMount.json(signer) + "}");
        CaMount.Signed signed = CaMount.certificate(ca.sign(roleName, CaMount.key("ed25519"),
                "\"valid_principals\":\"anyone\""));
        assertEquals(expected, signed.listing().caAlgorithm(), signed.listing().raw());
        assertEquals(ca.fingerprint().sha256(), signed.listing().caFingerprint());
        assertEquals(expected, SshCertificate.parse(signed.signedKey().strip()).signatureAlgorithm());
    }

    /** Vault answers 500 here (README, "Deliberate differences from Vault"). */
    @ParameterizedTest(name = "CA {0} with algorithm_signer {1}")
    @CsvSource({"ed25519,rsa-sha2-256", "ecdsa-p256,rsa-sha2-512", "ecdsa-p521,ssh-rsa"})
    void anRsaSignerWithANonRsaCaFailsToSign(String caName, String signer) {
        CaMount ca = CAS.get(caName);
        ca.role("rsa-signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"algorithm_signer\":" + CaMount.json(signer) + "}");
        CaMount.assertRefused(ca.sign("rsa-signer", CaMount.key("ed25519"), "\"valid_principals\":\"x\""),
                "failed to generate signed SSH key: …");
    }

    @Test
    void keyIdFormatWithRoleNameAndTheCallersDisplayName() {
        CaMount ca = CAS.get("ed25519");
        ca.role("fmt", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\","
                + "\"key_id_format\":\"{{role_name}}/{{token_display_name}}/{{public_key_hash}}/{{role_name}}\"}");
        SshKeygen.KeyPair user = CaMount.key("p256");
        String hash = user.blobSha256Hex();
        assertEquals("fmt/root/" + hash + "/fmt", ca.signed("fmt", user, "\"valid_principals\":\"alice\"").keyId());
        try {
            ca.ssh.as(new Caller("token-ci-bot", "accessor-ci", Map.of()));
            assertEquals("fmt/token-ci-bot/" + hash + "/fmt",
                    ca.signed("fmt", user, "\"valid_principals\":\"alice\"").keyId());
            // Without a format: vault-<display name>-<hash>.
            assertEquals("vault-token-ci-bot-" + hash, ca.signed("matrix", user, "\"valid_principals\":\"alice\"").keyId());
        } finally {
            ca.ssh.as(BackendHarness.ROOT);
        }
    }

    @Test
    void notBeforeDurationIsHonoured() {
        CaMount ca = CAS.get("ecdsa-p521");
        ca.role("nbf", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\","
                + "\"not_before_duration\":\"5m\",\"ttl\":120}");
        ca.role("nbf0", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\","
                + "\"not_before_duration\":0,\"ttl\":120}");
        SshKeygen.KeyPair user = CaMount.key("rsa3072");
        CaMount.assertValidity(ca.signed("nbf", user, "\"valid_principals\":\"alice\""), 300, 120);
        CaMount.assertValidity(ca.signed("nbf0", user, "\"valid_principals\":\"alice\""), 0, 120);
    }

    @Test
    void serialsDifferBetweenSignatures() {
        CaMount ca = CAS.get("ed25519");
        Set<String> serials = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            serials.add(CaMount.certificate(ca.sign("matrix", CaMount.key("ed25519"), "\"valid_principals\":\"alice\""))
                    .serial());
        }
        assertEquals(5, serials.size());
    }
}
