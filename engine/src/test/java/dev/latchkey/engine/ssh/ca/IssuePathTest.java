package dev.latchkey.engine.ssh.ca;

import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code issue/:role} (Vault 1.12+) on the engine: the server makes the key pair, certifies it and
 * returns both; the key is checked with ssh-keygen ({@code -y} of the private key, its size) and
 * the certificate with {@code ssh-keygen -L}.
 */
class IssuePathTest {
    private final CaMount ca = CaMount.generated("{\"key_type\":\"ecdsa-sha2-nistp256\"}");

    @BeforeEach
    void devRole() {
        ca.role("dev", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice,bob\","
                + "\"default_user\":\"alice\",\"allowed_extensions\":\"permit-pty\",\"ttl\":\"15m\"}");
    }

    /**
     * Issues a key pair for {@code bob} with these request fields and checks it: the answer's
     * fields, the PEM block, {@code ssh-keygen -y} of the private key and its size, and that the
     * certificate certifies it.
     */
    private KeygenListing issueAndCheck(String role, String request, String pemBlock, String sshType, int bits) {
        CaMount.Signed signed = CaMount.certificate(ca.ssh.writeJson("issue/" + role,
                "{" + request + (request.isEmpty() ? "" : ",") + "\"valid_principals\":\"bob\"}"));
        assertEquals(Set.of("serial_number", "signed_key", "issuer_id", "private_key", "private_key_type"),
                signed.data().keySet());
        String keyType = request.contains("\"key_type\"") ? request.replaceAll(".*\"key_type\":\"([^\"]*)\".*", "$1")
                : "rsa";
        assertEquals(keyType, signed.data().get("private_key_type"));
        String privateKey = (String) signed.data().get("private_key");
        assertTrue(privateKey.startsWith("-----BEGIN " + pemBlock + "-----\n"), privateKey);
        assertTrue(privateKey.endsWith("\n-----END " + pemBlock + "-----\n"), privateKey);

        String derivedPublic = SshKeygen.publicKeyOf(privateKey);
        assertTrue(derivedPublic.startsWith(sshType + " "), derivedPublic);
        SshKeygen.Fingerprint fp = SshKeygen.fingerprint(derivedPublic);
        assertEquals(bits, fp.bits());

        assertTrue(signed.signedKey().startsWith(sshType + "-cert-v01@openssh.com "), signed.signedKey());
        KeygenListing c = signed.listing();
        assertEquals(sshType + "-cert-v01@openssh.com user certificate", c.type(), c.raw());
        assertEquals(fp.sha256(), c.publicKeyFingerprint(), c.raw());
        assertEquals(ca.fingerprint().sha256(), c.caFingerprint(), c.raw());
        assertEquals("ecdsa-sha2-nistp256", c.caAlgorithm(), c.raw());
        assertEquals("vault-root-" + SshKeygen.sha256Hex(Base64.getDecoder().decode(derivedPublic.split(" ")[1])),
                c.keyId(), c.raw());
        assertEquals(List.of("bob"), c.principals());
        CaMount.assertValidity(c, 30, 900);
        return c;
    }

    /** The first row is the one RSA-4096 generation of this class: no key_type, no key_bits. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # request fields                              | PEM block           | key type            | ssh-keygen -l bits
            ``                                            | RSA PRIVATE KEY     | ssh-rsa             | 4096
            "key_type":"rsa","key_bits":2048              | RSA PRIVATE KEY     | ssh-rsa             | 2048
            "key_type":"ssh-rsa","key_bits":3072          | RSA PRIVATE KEY     | ssh-rsa             | 3072
            "key_type":"ec","key_bits":0                  | EC PRIVATE KEY      | ecdsa-sha2-nistp256 | 256
            "key_type":"ec","key_bits":256                | EC PRIVATE KEY      | ecdsa-sha2-nistp256 | 256
            "key_type":"ec","key_bits":384                | EC PRIVATE KEY      | ecdsa-sha2-nistp384 | 384
            "key_type":"ec","key_bits":521                | EC PRIVATE KEY      | ecdsa-sha2-nistp521 | 521
            "key_type":"ecdsa-sha2-nistp256"              | EC PRIVATE KEY      | ecdsa-sha2-nistp256 | 256
            "key_type":"ecdsa-sha2-nistp384","key_bits":521 | EC PRIVATE KEY    | ecdsa-sha2-nistp384 | 384
            "key_type":"ecdsa-sha2-nistp521"              | EC PRIVATE KEY      | ecdsa-sha2-nistp521 | 521
            "key_type":"ed25519"                          | OPENSSH PRIVATE KEY | ssh-ed25519         | 256
            "key_type":"ssh-ed25519","key_bits":4096      | OPENSSH PRIVATE KEY | ssh-ed25519         | 256
            """)
    void issuesEveryKeyType(String request, String pemBlock, String sshType, int bits) {
        issueAndCheck("dev", request, pemBlock, sshType, bits);
    }

    @Test
    void theSignRulesApplyToIssuedCertificates() {
        KeygenListing c = issueAndCheck("dev", "\"key_type\":\"ed25519\",\"extensions\":{\"permit-pty\":\"\"},\"ttl\":\"15m\"",
                "OPENSSH PRIVATE KEY", "ssh-ed25519", 256);
        assertEquals(List.of("permit-pty"), c.extensions());
        // The default user is the fallback principal here too.
        CaMount.assertOutcome(ca.ssh.writeJson("issue/dev", "{\"key_type\":\"ed25519\"}"), "principals: alice");
    }

    /** The key policy is checked before anything is generated; Latchkey classifies ec and the named ECDSA types. */
    @ParameterizedTest(name = "[{index}] {0}: {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role (allowed_user_key_lengths) | request                                    | error
            # an unknown role, an OTP role, the generator's limits, and the sign rules
            nope                              | "key_type":"ed25519"                       | unknown role: nope
            otp                               | "key_type":"ed25519"                       | role key type 'otp' not allowed to issue key pairs
            dev                               | "key_type":"rsa","key_bits":1024           | refusing to generate weak rsa key: 1024 bits < 2048 bits
            dev                               | "key_type":"ssh-rsa","key_bits":2047       | refusing to generate weak ssh-rsa key: 2047 bits < 2048 bits
            dev                               | "key_bits":1024                            | refusing to generate weak rsa key: 1024 bits < 2048 bits
            dev                               | "key_type":"ec","key_bits":1024            | unknown ECDSA key pair algorithm and bits: ec / 1024
            dev                               | "key_type":"dsa"                           | unknown ssh key pair algorithm: dsa
            dev                               | "key_type":"ed25519","valid_principals":"mallory" | mallory is not a valid value for valid_principals
            dev                               | "key_type":"ed25519","extensions":{"permit-user-rc":""} | extensions [permit-user-rc] are not on allowed list
            dev                               | "key_type":"ed25519","key_id":"mine"       | setting key_id is not allowed by role
            dev                               | "key_type":"ed25519","cert_type":"host"    | cert_type 'host' is not allowed by role
            # allowed_user_key_lengths, by key class; key_bits 0 is checked as 4096, where Vault never
            # finds a match (README, "Deliberate differences from Vault", CA roles)
            {"rsa":[2048]}                    | "key_type":"ed25519"                       | provided key_type value not in allowed_user_key_types
            {"rsa":[2048]}                    | "key_type":"ec"                            | provided key_type value not in allowed_user_key_types
            {"rsa":[2048]}                    | "key_type":"rsa","key_bits":3072           | provided key_bits value not in list of role's allowed_user_key_types
            {"rsa":[2048]}                    | "key_type":"rsa"                           | provided key_bits value not in list of role's allowed_user_key_types
            {"rsa":[2048]}                    | ``                                         | provided key_bits value not in list of role's allowed_user_key_types
            {"ecdsa":384}                     | "key_type":"ec"                            | provided key_bits value not in list of role's allowed_user_key_types
            {"ecdsa":384}                     | "key_type":"ecdsa-sha2-nistp521"           | provided key_bits value not in list of role's allowed_user_key_types
            {"ecdsa":384}                     | "key_type":"rsa","key_bits":2048           | provided key_type value not in allowed_user_key_types
            {"ecdsa-sha2-nistp521":0,"ssh-ed25519":0} | "key_type":"ec","key_bits":256     | provided key_type value not in allowed_user_key_types
            """)
    void aRefusedIssue(String role, String request, String error) {
        String roleName = role;
        if (role.equals("otp")) {
            ca.role("otp", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}");
        } else if (role.startsWith("{")) {
            roleName = "lengths";
            lengthsRole(role);
        }
        ca.ssh.writeJson("issue/" + roleName, "{" + request + "}").assertError(400, error);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # allowed_user_key_lengths                | request                          | PEM block           | key type            | bits
            {"rsa":[2048]}                            | "key_type":"ssh-rsa","key_bits":2048 | RSA PRIVATE KEY | ssh-rsa             | 2048
            {"ecdsa":384}                             | "key_type":"ec","key_bits":384   | EC PRIVATE KEY      | ecdsa-sha2-nistp384 | 384
            {"ecdsa":384}                             | "key_type":"ecdsa-sha2-nistp384" | EC PRIVATE KEY      | ecdsa-sha2-nistp384 | 384
            {"ecdsa-sha2-nistp521":0,"ssh-ed25519":0} | "key_type":"ec","key_bits":521   | EC PRIVATE KEY      | ecdsa-sha2-nistp521 | 521
            {"ecdsa-sha2-nistp521":0,"ssh-ed25519":0} | "key_type":"ed25519"             | OPENSSH PRIVATE KEY | ssh-ed25519         | 256
            """)
    void aKeyTheRoleAllowsIsIssued(String lengths, String request, String pemBlock, String sshType, int bits) {
        lengthsRole(lengths);
        issueAndCheck("lengths", request, pemBlock, sshType, bits);
    }

    private void lengthsRole(String lengths) {
        ca.role("lengths", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"bob\","
                + "\"allowed_user_key_lengths\":" + lengths + ",\"ttl\":\"15m\"}");
    }

    @Test
    void issueWithoutCaFails() {
        CaMount empty = CaMount.empty();
        empty.role("dev", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        empty.ssh.writeJson("issue/dev", "{\"key_type\":\"ed25519\",\"valid_principals\":\"x\"}")
                .assertError(400, "failed to read CA private key");
    }
}
