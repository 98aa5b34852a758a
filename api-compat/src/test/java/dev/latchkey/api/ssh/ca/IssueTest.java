package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static dev.latchkey.api.ssh.ca.CaFixtures.nowSeconds;
import static dev.latchkey.api.ssh.ca.CaFixtures.unsignedDecimal;
import static dev.latchkey.api.ssh.ca.SignMatrixTest.assertValidity;
import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.post;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

/** {@code issue/:role} (Vault 1.12+): the server makes the key pair, certifies it, and returns both. */
class IssueTest {
    private static String mount;
    private static SshKeygen.Fingerprint caFingerprint;

    @BeforeAll
    static void setUp() {
        mount = DevServer.enableSsh("issue");
        caFingerprint = SshKeygen.fingerprint(CaFixtures.generateCa(mount, "{\"key_type\":\"ecdsa-sha2-nistp256\"}"));
        role(mount, "dev", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice,bob\","
                + "\"default_user\":\"alice\",\"allowed_extensions\":\"permit-pty\",\"ttl\":\"15m\"}");
    }

    private static Response issue(String roleName, String json) {
        return post(mount, "issue/" + roleName, json);
    }

    /**
     * Issues a key pair of {@code keyType}/{@code keyBits} and checks it with ssh-keygen: PEM block,
     * {@code ssh-keygen -y} of the private key, its size, and that the certificate certifies it.
     */
    private static KeygenListing issueAndCheck(String roleName, String keyType, Integer keyBits, String pemBlock,
                                                    String sshType, int bits, String extra) {
        String body = "{" + (keyType == null ? "" : "\"key_type\":" + quote(keyType) + ",")
                + (keyBits == null ? "" : "\"key_bits\":" + keyBits + ",") + "\"valid_principals\":\"bob\"" + extra + "}";
        long before = nowSeconds();
        JsonPath j = CaFixtures.ok(issue(roleName, body));
        long after = nowSeconds();
        assertThat(j.getMap("data").keySet(), equalTo(Set.of("serial_number", "signed_key", "private_key",
                "private_key_type")));
        assertThat(j.getString("data.private_key_type"), is(keyType == null ? "rsa" : keyType));
        String privateKey = j.getString("data.private_key");
        assertThat(privateKey, startsWith("-----BEGIN " + pemBlock + "-----\n"));
        assertThat(privateKey, matchesPattern("(?s).*\n-----END " + pemBlock + "-----\n$"));

        String derivedPublic = SshKeygen.publicKeyOf(privateKey);
        assertThat(derivedPublic, startsWith(sshType + " "));
        SshKeygen.Fingerprint fp = SshKeygen.fingerprint(derivedPublic);
        assertThat(fp.bits(), is(bits));

        String signed = j.getString("data.signed_key");
        assertThat(signed, matchesPattern("^" + sshType + "-cert-v01@openssh.com [A-Za-z0-9+/]+={0,2}\n$"));
        KeygenListing c = SshKeygen.inspect(signed);
        assertThat(c.raw(), c.type(), is(sshType + "-cert-v01@openssh.com user certificate"));
        assertThat(c.raw(), c.publicKeyFingerprint(), is(fp.sha256()));
        assertThat(c.raw(), c.caFingerprint(), is(caFingerprint.sha256()));
        assertThat(c.raw(), c.caAlgorithm(), is("ecdsa-sha2-nistp256"));
        assertThat(c.raw(), c.serial(), is(unsignedDecimal(j.getString("data.serial_number"))));
        assertThat(c.raw(), c.keyId(), is("vault-token-" + SshKeygen.sha256Hex(
                java.util.Base64.getDecoder().decode(derivedPublic.split(" ")[1]))));
        assertThat(c.principals(), equalTo(java.util.List.of("bob")));
        assertValidity(c, before, after, 30, 900);
        return c;
    }

    @Test
    void defaultKeyTypeIsRsa4096() {
        // The one RSA-4096 generation of this class: no key_type, no key_bits.
        issueAndCheck("dev", null, null, "RSA PRIVATE KEY", "ssh-rsa", 4096, "");
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource({
            "rsa,2048,RSA PRIVATE KEY,ssh-rsa,2048",
            "ssh-rsa,3072,RSA PRIVATE KEY,ssh-rsa,3072",
            "ec,0,EC PRIVATE KEY,ecdsa-sha2-nistp256,256",
            "ec,256,EC PRIVATE KEY,ecdsa-sha2-nistp256,256",
            "ec,384,EC PRIVATE KEY,ecdsa-sha2-nistp384,384",
            "ec,521,EC PRIVATE KEY,ecdsa-sha2-nistp521,521",
            "ecdsa-sha2-nistp256,,EC PRIVATE KEY,ecdsa-sha2-nistp256,256",
            "ecdsa-sha2-nistp384,521,EC PRIVATE KEY,ecdsa-sha2-nistp384,384",
            "ecdsa-sha2-nistp521,,EC PRIVATE KEY,ecdsa-sha2-nistp521,521",
            "ed25519,,OPENSSH PRIVATE KEY,ssh-ed25519,256",
            "ssh-ed25519,4096,OPENSSH PRIVATE KEY,ssh-ed25519,256"})
    void issuesEveryKeyType(String keyType, Integer keyBits, String pemBlock, String sshType, int bits) {
        issueAndCheck("dev", keyType, keyBits, pemBlock, sshType, bits, "");
    }

    @Test
    void signRulesApplyToIssuedCertificates() {
        KeygenListing c = issueAndCheck("dev", "ed25519", null, "OPENSSH PRIVATE KEY", "ssh-ed25519", 256,
                ",\"extensions\":{\"permit-pty\":\"\"},\"ttl\":\"15m\"");
        assertThat(c.extensions(), equalTo(java.util.List.of("permit-pty")));
        assertError(issue("dev", "{\"key_type\":\"ed25519\",\"valid_principals\":\"mallory\"}"), 400,
                "mallory is not a valid value for valid_principals");
        assertError(issue("dev", "{\"key_type\":\"ed25519\",\"extensions\":{\"permit-user-rc\":\"\"}}"), 400,
                "extensions [permit-user-rc] are not on allowed list");
        assertError(issue("dev", "{\"key_type\":\"ed25519\",\"key_id\":\"mine\"}"), 400,
                "setting key_id is not allowed by role");
        assertError(issue("dev", "{\"key_type\":\"ed25519\",\"cert_type\":\"host\"}"), 400,
                "cert_type 'host' is not allowed by role");
        // The default user is the fallback principal here too.
        JsonPath j = CaFixtures.ok(issue("dev", "{\"key_type\":\"ed25519\"}"));
        assertThat(SshKeygen.inspect(j.getString("data.signed_key")).principals(), equalTo(java.util.List.of("alice")));
    }

    @Test
    void unknownRoleIsLowerCase() {
        assertError(issue("nope", "{\"key_type\":\"ed25519\"}"), 400, "unknown role: nope");
    }

    @Test
    void otpRolesCannotIssue() {
        role(mount, "otp", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}");
        assertError(issue("otp", "{\"key_type\":\"ed25519\"}"), 400, "role key type 'otp' not allowed to issue key pairs");
    }

    @Test
    void generationErrors() {
        assertError(issue("dev", "{\"key_type\":\"rsa\",\"key_bits\":1024}"), 400,
                "refusing to generate weak rsa key: 1024 bits < 2048 bits");
        assertError(issue("dev", "{\"key_type\":\"ssh-rsa\",\"key_bits\":2047}"), 400,
                "refusing to generate weak ssh-rsa key: 2047 bits < 2048 bits");
        assertError(issue("dev", "{\"key_bits\":1024}"), 400, "refusing to generate weak rsa key: 1024 bits < 2048 bits");
        assertError(issue("dev", "{\"key_type\":\"ec\",\"key_bits\":1024}"), 400,
                "unknown ECDSA key pair algorithm and bits: ec / 1024");
        assertError(issue("dev", "{\"key_type\":\"dsa\"}"), 400, "unknown ssh key pair algorithm: dsa");
    }

    @Test
    void allowedUserKeyLengthsAreCheckedByKeyClass() {
        role(mount, "rsa2048", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"bob\","
                + "\"allowed_user_key_lengths\":{\"rsa\":[2048]},\"ttl\":\"15m\"}");
        assertError(issue("rsa2048", "{\"key_type\":\"ed25519\"}"), 400,
                "provided key_type value not in allowed_user_key_types");
        assertError(issue("rsa2048", "{\"key_type\":\"ec\"}"), 400,
                "provided key_type value not in allowed_user_key_types");
        assertError(issue("rsa2048", "{\"key_type\":\"rsa\",\"key_bits\":3072}"), 400,
                "provided key_bits value not in list of role's allowed_user_key_types");
        // key_bits 0 is checked as 4096, where Vault never finds a match (README, "Deliberate differences
        // from Vault", CA roles): refused before anything is generated.
        assertError(issue("rsa2048", "{\"key_type\":\"rsa\"}"), 400,
                "provided key_bits value not in list of role's allowed_user_key_types");
        assertError(issue("rsa2048", "{}"), 400,
                "provided key_bits value not in list of role's allowed_user_key_types");
        issueAndCheck("rsa2048", "ssh-rsa", 2048, "RSA PRIVATE KEY", "ssh-rsa", 2048, "");

        // ec and the named ECDSA types are classified as ecdsa, with the size they will have.
        role(mount, "ecdsa384", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"bob\","
                + "\"allowed_user_key_lengths\":{\"ecdsa\":384},\"ttl\":\"15m\"}");
        assertError(issue("ecdsa384", "{\"key_type\":\"ec\"}"), 400,
                "provided key_bits value not in list of role's allowed_user_key_types");
        assertError(issue("ecdsa384", "{\"key_type\":\"ecdsa-sha2-nistp521\"}"), 400,
                "provided key_bits value not in list of role's allowed_user_key_types");
        assertError(issue("ecdsa384", "{\"key_type\":\"rsa\",\"key_bits\":2048}"), 400,
                "provided key_type value not in allowed_user_key_types");
        issueAndCheck("ecdsa384", "ec", 384, "EC PRIVATE KEY", "ecdsa-sha2-nistp384", 384, "");
        issueAndCheck("ecdsa384", "ecdsa-sha2-nistp384", null, "EC PRIVATE KEY", "ecdsa-sha2-nistp384", 384, "");

        role(mount, "named521", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"bob\","
                + "\"allowed_user_key_lengths\":{\"ecdsa-sha2-nistp521\":0,\"ssh-ed25519\":0},\"ttl\":\"15m\"}");
        issueAndCheck("named521", "ec", 521, "EC PRIVATE KEY", "ecdsa-sha2-nistp521", 521, "");
        issueAndCheck("named521", "ed25519", null, "OPENSSH PRIVATE KEY", "ssh-ed25519", 256, "");
        assertError(issue("named521", "{\"key_type\":\"ec\",\"key_bits\":256}"), 400,
                "provided key_type value not in allowed_user_key_types");
    }

    @Test
    void issueWithoutCaFails() {
        String empty = DevServer.enableSsh("issue-noca");
        role(empty, "dev", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        assertError(post(empty, "issue/dev", "{\"key_type\":\"ed25519\",\"valid_principals\":\"x\"}"), 400,
                "failed to read CA private key");
    }
}
