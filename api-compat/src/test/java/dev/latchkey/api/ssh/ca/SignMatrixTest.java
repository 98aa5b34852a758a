package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.engine.ssh.keys.SshCertificateType;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.latchkey.api.ssh.ca.CaFixtures.nowSeconds;
import static dev.latchkey.api.ssh.ca.CaFixtures.postAs;
import static dev.latchkey.api.ssh.ca.CaFixtures.sign;
import static dev.latchkey.api.ssh.ca.CaFixtures.signOk;
import static dev.latchkey.api.ssh.ca.CaFixtures.unsignedDecimal;
import static dev.latchkey.api.testing.HttpAssertions.assertErrorStartsWith;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * The core of {@code sign/:role}: for every CA key type × every user key type,
 * {@code sign} produces a certificate that the real {@code ssh-keygen -L} accepts (it verifies the
 * CA signature) and shows field by field as requested.
 */
class SignMatrixTest {
    /** A mount whose CA was generated with {@code body}. */
    record Ca(String name, String mount, String publicKey, SshKeygen.Fingerprint fingerprint) {
        String type() {
            return publicKey.split(" ")[0];
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record UserKey(String name, SshKeygen.KeyPair pair) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String MATRIX_ROLE = """
            {"key_type":"ca","allow_user_certificates":true,"allow_host_certificates":true,
             "allowed_users":"alice,bob,carol","allowed_domains":"example.com","allow_subdomains":true,
             "allowed_critical_options":"force-command,source-address",
             "allowed_extensions":"permit-pty,permit-port-forwarding,permit-agent-forwarding",
             "ttl":"30m","max_ttl":"2h"}
            """;

    private static final Map<String, Ca> CAS = new LinkedHashMap<>();
    private static final Map<String, UserKey> USERS = new LinkedHashMap<>();

    @BeforeAll
    static void setUp() {
        // The RSA-4096 CA is generated once, on the server, while ssh-keygen makes the user keys.
        CompletableFuture<Ca> rsa = CompletableFuture.supplyAsync(() -> ca("rsa-4096", "{\"key_type\":\"rsa\"}"));
        for (String[] u : new String[][] {{"rsa-2048", "rsa", "2048"}, {"rsa-3072", "rsa", "3072"},
                {"ecdsa-p256", "ecdsa", "256"}, {"ed25519", "ed25519", "0"}}) {
            USERS.put(u[0], new UserKey(u[0], SshKeygen.generate(u[1], Integer.parseInt(u[2]))));
        }
        CAS.put("rsa-4096", rsa.join());
        CAS.put("ecdsa-p256", ca("ecdsa-p256", "{\"key_type\":\"ecdsa-sha2-nistp256\"}"));
        CAS.put("ecdsa-p384", ca("ecdsa-p384", "{\"key_type\":\"ec\",\"key_bits\":384}"));
        CAS.put("ecdsa-p521", ca("ecdsa-p521", "{\"key_type\":\"ecdsa-sha2-nistp521\"}"));
        CAS.put("ed25519", ca("ed25519", "{\"key_type\":\"ssh-ed25519\"}"));
        assertThat(CAS.get("rsa-4096").fingerprint().bits(), is(4096));
    }

    private static Ca ca(String name, String body) {
        String mount = DevServer.enableSsh("matrix-" + name);
        String pub = CaFixtures.generateCa(mount, body);
        role(mount, "matrix", MATRIX_ROLE);
        return new Ca(name, mount, pub, SshKeygen.fingerprint(pub));
    }

    static Stream<Arguments> pairs() {
        return Stream.of("rsa-4096", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ed25519")
                .flatMap(ca -> Stream.of("rsa-2048", "rsa-3072", "ecdsa-p256", "ed25519").map(u -> Arguments.of(ca, u)));
    }

    private static final String REQUEST_OPTIONS = ",\"valid_principals\":\"carol, alice,carol\",\"ttl\":\"1h\","
            + "\"critical_options\":{\"source-address\":\"10.0.0.0/8,192.168.1.0/24\",\"force-command\":\"/usr/bin/id\"},"
            + "\"extensions\":{\"permit-pty\":\"\",\"permit-port-forwarding\":\"\"}}";

    @ParameterizedTest(name = "CA {0} signs user key {1}")
    @MethodSource("pairs")
    void userCertificateFieldByField(String caName, String userName) {
        Ca ca = CAS.get(caName);
        SshKeygen.KeyPair user = USERS.get(userName).pair();
        long before = nowSeconds();
        JsonPath j = signOk(ca.mount(), "matrix", "{\"public_key\":" + quote(user.publicKeyText()) + REQUEST_OPTIONS);
        long after = nowSeconds();
        String serial = j.getString("data.serial_number");
        String signed = j.getString("data.signed_key");
        assertThat(j.getMap("data").keySet(), equalTo(java.util.Set.of("serial_number", "signed_key")));
        String certType = user.type() + "-cert-v01@openssh.com";
        assertThat(signed, matchesPattern("^" + certType + " [A-Za-z0-9+/]+={0,2}\n$"));

        KeygenListing c = SshKeygen.inspect(signed);
        assertThat(c.raw(), c.type(), is(certType + " user certificate"));
        assertThat(c.raw(), c.publicKeyLabel(), is(KeygenListing.label(user.type()) + "-CERT"));
        assertThat(c.raw(), c.publicKeyFingerprint(), is(user.fingerprint().sha256()));
        assertThat(c.raw(), c.caLabel(), is(KeygenListing.label(ca.type())));
        assertThat(c.raw(), c.caFingerprint(), is(ca.fingerprint().sha256()));
        assertThat(c.raw(), c.caAlgorithm(), is(CaFixtures.defaultSignatureAlgorithm(ca.type())));
        assertThat(c.raw(), c.keyId(), is("vault-token-" + user.blobSha256Hex()));
        assertThat(c.raw(), c.serial(), is(unsignedDecimal(serial)));
        assertValidity(c, before, after, 30, 3600);
        assertThat(c.raw(), c.principals(), equalTo(List.of("alice", "carol")));
        assertThat(c.raw(), c.criticalOptions(), equalTo(List.of("force-command /usr/bin/id",
                "source-address 10.0.0.0/8,192.168.1.0/24")));
        assertThat(c.raw(), c.extensions(), equalTo(List.of("permit-port-forwarding", "permit-pty")));

        // Second opinion with Latchkey's codec: the parts ssh-keygen does not print.
        SshCertificate cert = SshCertificate.parse(signed.strip());
        assertThat(cert.nonce().length, is(32));
        assertThat(cert.key(), is(SshPublicKey.parse(user.line())));
        assertThat(cert.signatureKey(), is(SshPublicKey.parse(ca.publicKey().strip())));
        assertThat(cert.certType(), is(SshCertificateType.USER));
        assertThat(Long.toUnsignedString(cert.serial(), 16), is(serial));
    }

    /** Vault's validity: valid after = now − not_before_duration; valid before = now + TTL (to the second). */
    static void assertValidity(KeygenListing c, long before, long after, long notBefore, long ttl) {
        assertThat(c.raw(), c.validFrom().getEpochSecond(), greaterThanOrEqualTo(before - notBefore - 1));
        assertThat(c.raw(), c.validFrom().getEpochSecond(), lessThanOrEqualTo(after - notBefore + 1));
        assertThat(c.raw(), c.validTo().getEpochSecond() - c.validFrom().getEpochSecond(), is(notBefore + ttl));
    }

    @Test
    void roleTtlAppliesWhenTheRequestHasNone() {
        Ca ca = CAS.get("ecdsa-p256");
        SshKeygen.KeyPair user = USERS.get("ed25519").pair();
        long before = nowSeconds();
        KeygenListing c = SshKeygen.inspect(signOk(ca.mount(), "matrix", "{\"public_key\":"
                + quote(user.publicKeyText()) + ",\"valid_principals\":\"bob\"}").getString("data.signed_key"));
        assertValidity(c, before, nowSeconds(), 30, 1800);
        assertThat(c.principals(), equalTo(List.of("bob")));
        assertThat(c.criticalOptions(), equalTo(List.of()));
        assertThat(c.extensions(), equalTo(List.of()));
    }

    @Test
    void bareBase64PublicKeyIsAccepted() {
        Ca ca = CAS.get("ed25519");
        SshKeygen.KeyPair user = USERS.get("rsa-2048").pair();
        KeygenListing c = SshKeygen.inspect(signOk(ca.mount(), "matrix", "{\"public_key\":"
                + quote(user.base64()) + ",\"valid_principals\":\"bob\"}").getString("data.signed_key"));
        assertThat(c.publicKeyFingerprint(), is(user.fingerprint().sha256()));
        assertThat(c.type(), is("ssh-rsa-cert-v01@openssh.com user certificate"));
    }

    @Test
    void hostCertificate() {
        Ca ca = CAS.get("ecdsa-p384");
        SshKeygen.KeyPair host = USERS.get("ecdsa-p256").pair();
        long before = nowSeconds();
        JsonPath j = signOk(ca.mount(), "matrix", "{\"public_key\":" + quote(host.publicKeyText())
                + ",\"cert_type\":\"host\",\"valid_principals\":\"web.example.com,db.example.com\",\"ttl\":600}");
        KeygenListing c = SshKeygen.inspect(j.getString("data.signed_key"));
        assertThat(c.raw(), c.type(), is("ecdsa-sha2-nistp256-cert-v01@openssh.com host certificate"));
        assertThat(c.publicKeyFingerprint(), is(host.fingerprint().sha256()));
        assertThat(c.caFingerprint(), is(ca.fingerprint().sha256()));
        assertThat(c.caAlgorithm(), is("ecdsa-sha2-nistp384"));
        assertThat(c.keyId(), is("vault-token-" + host.blobSha256Hex()));
        assertThat(c.serial(), is(unsignedDecimal(j.getString("data.serial_number"))));
        assertThat(c.principals(), equalTo(List.of("db.example.com", "web.example.com")));
        assertThat(c.criticalOptions(), equalTo(List.of()));
        assertThat(c.extensions(), equalTo(List.of()));
        assertValidity(c, before, nowSeconds(), 30, 600);
    }

    @ParameterizedTest
    @CsvSource({"ssh-rsa,ssh-rsa", "rsa-sha2-256,rsa-sha2-256", "rsa-sha2-512,rsa-sha2-512", "default,rsa-sha2-256",
            "'',rsa-sha2-256"})
    void algorithmSignerWithTheRsaCa(String signer, String expected) {
        Ca ca = CAS.get("rsa-4096");
        String roleName = "signer-" + (signer.isEmpty() ? "empty" : signer);
        role(ca.mount(), roleName, "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"algorithm_signer\":" + quote(signer) + "}");
        SshKeygen.KeyPair user = USERS.get("ed25519").pair();
        KeygenListing c = SshKeygen.inspect(signOk(ca.mount(), roleName, "{\"public_key\":"
                + quote(user.publicKeyText()) + ",\"valid_principals\":\"anyone\"}").getString("data.signed_key"));
        assertThat(c.raw(), c.caAlgorithm(), is(expected));
        assertThat(c.caFingerprint(), is(ca.fingerprint().sha256()));
        assertThat(SshCertificate.parse(signOk(ca.mount(), roleName, "{\"public_key\":" + quote(user.publicKeyText())
                + ",\"valid_principals\":\"anyone\"}").getString("data.signed_key").strip()).signatureAlgorithm(),
                is(expected));
    }

    @ParameterizedTest
    @CsvSource({"ed25519,rsa-sha2-256", "ecdsa-p256,rsa-sha2-512", "ecdsa-p521,ssh-rsa"})
    void rsaSignerWithANonRsaCaFailsToSign(String caName, String signer) {
        Ca ca = CAS.get(caName);
        role(ca.mount(), "rsa-signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"algorithm_signer\":" + quote(signer) + "}");
        assertErrorStartsWith(sign(ca.mount(), "rsa-signer", "{\"public_key\":"
                + quote(USERS.get("ed25519").pair().publicKeyText()) + ",\"valid_principals\":\"x\"}"), 400,
                "failed to generate signed SSH key: ");
    }

    @Test
    void keyIdFormatWithRoleNameAndTokenDisplayName() {
        Ca ca = CAS.get("ed25519");
        role(ca.mount(), "fmt", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\","
                + "\"key_id_format\":\"{{role_name}}/{{token_display_name}}/{{public_key_hash}}/{{role_name}}\"}");
        SshKeygen.KeyPair user = USERS.get("ecdsa-p256").pair();
        String body = "{\"public_key\":" + quote(user.publicKeyText()) + ",\"valid_principals\":\"alice\"}";
        assertThat(SshKeygen.inspect(signOk(ca.mount(), "fmt", body).getString("data.signed_key")).keyId(),
                is("fmt/token/" + user.blobSha256Hex() + "/fmt"));

        // A child token's display name is "token-<name>", as Vault makes it.
        String child = childToken("matrix bot");
        String signed = CaFixtures.ok(postAs(child, ca.mount(), "sign/fmt", body)).getString("data.signed_key");
        assertThat(SshKeygen.inspect(signed).keyId(), is("fmt/token-matrix-bot/" + user.blobSha256Hex() + "/fmt"));
        // Without a format: vault-<display name>-<hash>.
        signed = CaFixtures.ok(postAs(child, ca.mount(), "sign/matrix", body)).getString("data.signed_key");
        assertThat(SshKeygen.inspect(signed).keyId(), is("vault-token-matrix-bot-" + user.blobSha256Hex()));
    }

    static String childToken(String displayName) {
        var r = DevServer.root().contentType("application/json").body("{\"display_name\":" + quote(displayName)
                + ",\"policies\":[\"root\"]}").post("/v1/auth/token/create").andReturn();
        assertThat(r.asString(), r.statusCode(), is(200));
        return r.jsonPath().getString("auth.client_token");
    }

    @Test
    void notBeforeDurationIsHonoured() {
        Ca ca = CAS.get("ecdsa-p521");
        role(ca.mount(), "nbf", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\","
                + "\"not_before_duration\":\"5m\",\"ttl\":120}");
        role(ca.mount(), "nbf0", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\","
                + "\"not_before_duration\":0,\"ttl\":120}");
        SshKeygen.KeyPair user = USERS.get("rsa-3072").pair();
        String body = "{\"public_key\":" + quote(user.publicKeyText()) + ",\"valid_principals\":\"alice\"}";
        long before = nowSeconds();
        KeygenListing c = SshKeygen.inspect(signOk(ca.mount(), "nbf", body).getString("data.signed_key"));
        assertValidity(c, before, nowSeconds(), 300, 120);
        before = nowSeconds();
        c = SshKeygen.inspect(signOk(ca.mount(), "nbf0", body).getString("data.signed_key"));
        assertValidity(c, before, nowSeconds(), 0, 120);
        assertThat(c.validFrom().isAfter(Instant.now().plusSeconds(2)), is(false));
    }

    @Test
    void serialsDifferBetweenSignatures() {
        Ca ca = CAS.get("ed25519");
        String body = "{\"public_key\":" + quote(USERS.get("ed25519").pair().publicKeyText())
                + ",\"valid_principals\":\"alice\"}";
        java.util.Set<String> serials = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            serials.add(signOk(ca.mount(), "matrix", body).getString("data.serial_number"));
        }
        assertThat(serials.size(), is(5));
    }
}
