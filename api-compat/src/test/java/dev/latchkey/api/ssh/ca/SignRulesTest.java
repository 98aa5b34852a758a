package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.latchkey.api.ssh.ca.CaFixtures.nowSeconds;
import static dev.latchkey.api.ssh.ca.CaFixtures.postAs;
import static dev.latchkey.api.ssh.ca.CaFixtures.sign;
import static dev.latchkey.api.ssh.ca.CaFixtures.signAndInspect;
import static dev.latchkey.api.ssh.ca.CaFixtures.signOk;
import static dev.latchkey.api.ssh.ca.SignMatrixTest.assertValidity;
import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertErrorStartsWith;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code sign/:role}: every check of Vault's, in its order, and the rules for principals, key ID,
 * key type and size, TTL, critical options and extensions, checked through ssh-keygen -L.
 */
class SignRulesTest {
    private static final String BAD_KEY = "failed to parse public_key as SSH key: ";
    private static final String REQUIREMENTS = "public_key failed to meet the key requirements: ";
    private static final String VAULT_SSH_EXTENSIONS = "permit-X11-forwarding,permit-agent-forwarding,"
            + "permit-port-forwarding,permit-pty,permit-user-rc";

    private static String mount;
    private static SshKeygen.KeyPair ed25519;
    private static SshKeygen.KeyPair rsa2048;
    private static SshKeygen.KeyPair rsa3072;
    private static SshKeygen.KeyPair p256;
    private static SshKeygen.KeyPair p384;
    private static SshKeygen.KeyPair dsa;
    /** The user keys above by name, for the tables. */
    private static Map<String, SshKeygen.KeyPair> keys;
    private static String child;
    private static String childAccessor;

    @BeforeAll
    static void setUp() {
        mount = CaFixtures.mountWithEd25519Ca("sign-rules");
        ed25519 = SshKeygen.generate("ed25519", 0);
        rsa2048 = SshKeygen.generate("rsa", 2048);
        rsa3072 = SshKeygen.generate("rsa", 3072);
        p256 = SshKeygen.generate("ecdsa", 256);
        p384 = SshKeygen.generate("ecdsa", 384);
        dsa = SshKeygen.generate("dsa", 1024);
        keys = Map.of("ed25519", ed25519, "rsa2048", rsa2048, "rsa3072", rsa3072, "p256", p256, "p384", p384,
                "dsa", dsa);
        // A token with an identity that may sign: Latchkey's identity templates draw on the token's display
        // name, accessor and meta (README, "Deliberate differences from Vault", CA roles).
        Response r = DevServer.root().contentType("application/json").body("{\"display_name\":\"alice\","
                + "\"policies\":[\"root\"],\"meta\":{\"email\":\"alice@example.com\",\"login\":\"alice\","
                + "\"domain\":\"alice.example.net\"}}").post("/v1/auth/token/create").andReturn();
        assertThat(r.asString(), r.statusCode(), is(200));
        child = r.jsonPath().getString("auth.client_token");
        childAccessor = r.jsonPath().getString("auth.accessor");
    }

    private static String body(SshKeygen.KeyPair key, String more) {
        return "{\"public_key\":" + quote(key.publicKeyText()) + (more.isEmpty() ? "" : "," + more) + "}";
    }

    /** A user-certificate role with extra fields. */
    private static void userRole(String name, String more) {
        role(mount, name, "{\"key_type\":\"ca\",\"allow_user_certificates\":true" + (more.isEmpty() ? "" : "," + more)
                + "}");
    }

    private static KeygenListing signed(String roleName, String json) {
        return signAndInspect(mount, roleName, json);
    }

    private static KeygenListing signedAsChild(String roleName, String json) {
        return SshKeygen.inspect(CaFixtures.ok(postAs(child, mount, "sign/" + roleName, json))
                .getString("data.signed_key"));
    }

    // ---- role and public key ----

    @Test
    void unknownRole() {
        assertError(sign(mount, "nope", body(ed25519, "")), 400, "Unknown role: nope");
        // The role is looked up before the key is looked at.
        assertError(sign(mount, "nope", "{}"), 400, "Unknown role: nope");
    }

    @Test
    void missingPublicKey() {
        userRole("missing-key", "\"allowed_users\":\"*\"");
        assertError(sign(mount, "missing-key", "{}"), 400, "missing public_key");
        assertError(sign(mount, "missing-key", "{\"public_key\":\"\",\"valid_principals\":\"x\"}"), 400,
                "missing public_key");
    }

    @Test
    void unparsablePublicKeys() {
        userRole("parse", "\"allowed_users\":\"*\"");
        String b64 = ed25519.base64();
        for (String bad : List.of("garbage", "ssh-ed25519 garbage!", "ssh-ed25519 " + b64.substring(0, 24),
                b64.substring(0, b64.length() - 1), "ssh-ed25519", "AAAA",
                // A key line whose type word disagrees with the blob, which Vault accepts (README,
                // "Deliberate differences from Vault", CA roles).
                "ssh-rsa " + b64)) {
            assertErrorStartsWith(sign(mount, "parse", "{\"public_key\":" + quote(bad) + ",\"valid_principals\":\"x\"}"),
                    400, BAD_KEY);
        }
    }

    @Test
    void aCertificateIsNotAPublicKey() {
        userRole("parse-cert", "\"allowed_users\":\"*\"");
        String cert = signOk(mount, "parse-cert", body(ed25519, "\"valid_principals\":\"x\""))
                .getString("data.signed_key");
        assertErrorStartsWith(sign(mount, "parse-cert", "{\"public_key\":" + quote(cert) + ",\"valid_principals\":\"x\"}"),
                400, BAD_KEY);
        assertErrorStartsWith(sign(mount, "parse-cert", "{\"public_key\":" + quote(cert.split(" ")[1].strip())
                + ",\"valid_principals\":\"x\"}"), 400, BAD_KEY);
    }

    @Test
    void aFidoSecurityKeyIsRefused() {
        // sk-ssh-ed25519@openssh.com: string type, string pk(32), string application (PROTOCOL.u2f).
        byte[] pk = new byte[32];
        new SecureRandom().nextBytes(pk);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        writeString(blob, "sk-ssh-ed25519@openssh.com".getBytes(StandardCharsets.US_ASCII));
        writeString(blob, pk);
        writeString(blob, "ssh:".getBytes(StandardCharsets.US_ASCII));
        String line = "sk-ssh-ed25519@openssh.com " + Base64.getEncoder().encodeToString(blob.toByteArray());
        // OpenSSH itself reads it as a key.
        assertThat(SshKeygen.fingerprint(line).label(), is("ED25519-SK"));
        userRole("parse-sk", "\"allowed_users\":\"*\"");
        assertErrorStartsWith(sign(mount, "parse-sk", "{\"public_key\":" + quote(line) + ",\"valid_principals\":\"x\"}"),
                400, BAD_KEY);
    }

    private static void writeString(ByteArrayOutputStream out, byte[] data) {
        out.write(data.length >>> 24);
        out.write(data.length >>> 16);
        out.write(data.length >>> 8);
        out.write(data.length);
        out.writeBytes(data);
    }

    // ---- the user key's type and size (allowed_user_key_lengths) ----

    /** One role per row; the outcome is "signed" or the refusal after Vault's "public_key failed to meet …". */
    @ParameterizedTest(name = "allowed_user_key_lengths {0}, {1} key: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # allowed_user_key_lengths   | user key | outcome
            # a key type that is not listed is refused
            {"rsa":2048}                 | ed25519  | key of type ed25519 is not allowed
            {"rsa":2048}                 | p256     | key of type ecdsa is not allowed
            {"rsa":2048}                 | dsa      | key of type dsa is not allowed
            {"rsa":2048}                 | rsa2048  | signed
            # an RSA length must equal a listed value: not a minimum, a bigger key is refused too
            {"rsa":[2048]}               | rsa3072  | key is of an invalid size: 3072
            {"rsa":[2048]}               | rsa2048  | signed
            {"ssh-rsa":"3072, 4096"}     | rsa2048  | key is of an invalid size: 2048
            {"ssh-rsa":"3072, 4096"}     | rsa3072  | signed
            # the ECDSA class (ecdsa or ec) checks the size of the curve
            {"ecdsa":[384]}              | p256     | key is of an invalid size: 256
            {"ecdsa":[384]}              | p384     | signed
            {"ec":256}                   | p256     | signed
            {"ec":256}                   | p384     | key is of an invalid size: 384
            # a named curve fixes the size: any listed value passes; the other curves are not consulted
            {"ecdsa-sha2-nistp256":[0]}  | p256     | signed
            {"ecdsa-sha2-nistp256":[0]}  | p384     | key of type ecdsa is not allowed
            {"ecdsa-sha2-nistp384":12345}| p384     | signed
            # Ed25519 passes with any listed value
            {"ed25519":[1],"rsa":4096}   | ed25519  | signed
            {"ssh-ed25519":0}            | ed25519  | signed
            {"ssh-ed25519":0}            | rsa2048  | key of type rsa is not allowed
            """)
    void keyTypesAndLengthsOfTheUserKey(String lengths, String key, String outcome) {
        userRole("key-lengths", "\"allowed_users\":\"*\",\"allowed_user_key_lengths\":" + lengths);
        String request = body(keys.get(key), "\"valid_principals\":\"x\"");
        if (outcome.equals("signed")) {
            signOk(mount, "key-lengths", request);
        } else {
            assertError(sign(mount, "key-lengths", request), 400, REQUIREMENTS + outcome);
        }
    }

    @Test
    void aDsaUserKeyIsClassifiedAndCertified() {
        userRole("dsa-1024", "\"allowed_users\":\"*\",\"allowed_user_key_lengths\":{\"dsa\":[2048]}");
        assertError(sign(mount, "dsa-1024", body(dsa, "\"valid_principals\":\"x\"")), 400,
                REQUIREMENTS + "key is of an invalid size: 1024");
        userRole("dsa-1024", "\"allowed_users\":\"*\",\"allowed_user_key_lengths\":{\"ssh-dss\":1024}");
        KeygenListing c = signed("dsa-1024", body(dsa, "\"valid_principals\":\"x\""));
        assertThat(c.raw(), c.type(), is("ssh-dss-cert-v01@openssh.com user certificate"));
        assertThat(c.publicKeyFingerprint(), is(dsa.fingerprint().sha256()));
    }

    // ---- key ID ----

    @Test
    void keyIdNeedsAllowUserKeyIds() {
        userRole("no-key-id", "\"allowed_users\":\"*\"");
        assertError(sign(mount, "no-key-id", body(ed25519, "\"valid_principals\":\"x\",\"key_id\":\"mine\"")), 400,
                "setting key_id is not allowed by role");
        userRole("key-id", "\"allowed_users\":\"*\",\"allow_user_key_ids\":true,\"key_id_format\":\"ignored\"");
        assertThat(signed("key-id", body(ed25519, "\"valid_principals\":\"x\",\"key_id\":\"my id {{role_name}}\""))
                .keyId(), is("my id {{role_name}}"));
        // An empty key_id is "not set": the format applies.
        assertThat(signed("key-id", body(ed25519, "\"valid_principals\":\"x\",\"key_id\":\"\"")).keyId(),
                is("ignored"));
    }

    // ---- certificate type ----

    @Test
    void certTypeRules() {
        userRole("user-only", "\"allowed_users\":\"*\"");
        role(mount, "host-only", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,\"allowed_domains\":\"*\"}");
        assertError(sign(mount, "user-only", body(ed25519, "\"valid_principals\":\"x\",\"cert_type\":\"host\"")), 400,
                "cert_type 'host' is not allowed by role");
        assertError(sign(mount, "host-only", body(ed25519, "\"valid_principals\":\"x\"")), 400,
                "cert_type 'user' is not allowed by role");
        assertError(sign(mount, "host-only", body(ed25519, "\"valid_principals\":\"x\",\"cert_type\":\"user\"")), 400,
                "cert_type 'user' is not allowed by role");
        for (String bad : List.of("bogus", "User", "HOST", " user")) {
            assertError(sign(mount, "user-only", body(ed25519, "\"valid_principals\":\"x\",\"cert_type\":" + quote(bad))),
                    400, "cert_type must be either 'user' or 'host'");
        }
        assertThat(signed("user-only", body(ed25519, "\"valid_principals\":\"x\"")).type(),
                is("ssh-ed25519-cert-v01@openssh.com user certificate"));
        assertThat(signed("host-only", body(ed25519, "\"valid_principals\":\"h\",\"cert_type\":\"host\"")).type(),
                is("ssh-ed25519-cert-v01@openssh.com host certificate"));
    }

    @Test
    void anOtpRoleFailsAtTheCertificateTypeStep() {
        role(mount, "otp", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}");
        assertError(sign(mount, "otp", body(ed25519, "")), 400, "cert_type 'user' is not allowed by role");
        assertError(sign(mount, "otp", body(ed25519, "\"cert_type\":\"host\"")), 400,
                "cert_type 'host' is not allowed by role");
        // The steps before the certificate type still apply: key parsing, then the key ID.
        assertErrorStartsWith(sign(mount, "otp", "{\"public_key\":\"junk\"}"), 400, BAD_KEY);
        assertError(sign(mount, "otp", body(ed25519, "\"key_id\":\"mine\"")), 400,
                "setting key_id is not allowed by role");
        assertError(sign(mount, "otp", body(ed25519, "\"cert_type\":\"bogus\"")), 400,
                "cert_type must be either 'user' or 'host'");
    }

    @Test
    void stepsComeInVaultsOrder() {
        role(mount, "order", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_user_key_lengths\":{\"rsa\":2048},\"max_ttl\":60,\"allowed_critical_options\":\"a\"}");
        String everythingWrong = "\"key_id\":\"k\",\"cert_type\":\"user\",\"valid_principals\":\"\",\"ttl\":120,"
                + "\"critical_options\":{\"b\":\"\"},\"extensions\":{\"c\":\"\"}";
        assertError(sign(mount, "order", body(ed25519, everythingWrong)), 400,
                REQUIREMENTS + "key of type ed25519 is not allowed");
        assertError(sign(mount, "order", body(rsa2048, everythingWrong)), 400, "setting key_id is not allowed by role");
        String noKeyId = everythingWrong.replace("\"key_id\":\"k\",", "");
        assertError(sign(mount, "order", body(rsa2048, noKeyId)), 400, "cert_type 'user' is not allowed by role");
        String host = noKeyId.replace("\"user\"", "\"host\"");
        assertError(sign(mount, "order", body(rsa2048, host)), 400, "empty valid principals not allowed by role");
        role(mount, "order", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,\"allowed_domains\":\"*\","
                + "\"allowed_user_key_lengths\":{\"rsa\":2048},\"max_ttl\":60,\"allowed_critical_options\":\"a\"}");
        String named = host.replace("\"valid_principals\":\"\"", "\"valid_principals\":\"h\"");
        assertError(sign(mount, "order", body(rsa2048, named)), 400, "ttl is larger than maximum allowed 60");
        String shortTtl = named.replace("\"ttl\":120", "\"ttl\":30");
        assertError(sign(mount, "order", body(rsa2048, shortTtl)), 400, "critical options not on allowed list: [b]");
        String allowedCritical = shortTtl.replace("{\"b\":\"\"}", "{\"a\":\"\"}");
        assertError(sign(mount, "order", body(rsa2048, allowedCritical)), 400, "extensions [c] are not on allowed list");
    }

    // ---- principals ----

    @Test
    void emptyPrincipalsAreRefusedUnlessAllowed() {
        userRole("no-default", "\"allowed_users\":\"alice\"");
        assertError(sign(mount, "no-default", body(ed25519, "")), 400, "empty valid principals not allowed by role");
        assertError(sign(mount, "no-default", body(ed25519, "\"valid_principals\":\"\"")), 400,
                "empty valid principals not allowed by role");
        assertError(sign(mount, "no-default", body(ed25519, "\"valid_principals\":\" , ,\"")), 400,
                "empty valid principals not allowed by role");

        userRole("empty-ok", "\"allowed_users\":\"alice\",\"allow_empty_principals\":true");
        KeygenListing c = signed("empty-ok", body(ed25519, "\"valid_principals\":\"\""));
        assertThat(c.raw(), c.principals(), equalTo(List.of()));
        assertThat(c.raw().contains("Principals: (none)"), is(true));
        assertThat(signed("empty-ok", body(ed25519, "")).principals(), equalTo(List.of()));
        // allow_empty_principals comes before the allowed-list check.
        userRole("empty-ok-no-list", "\"allow_empty_principals\":true");
        assertThat(signed("empty-ok-no-list", body(ed25519, "")).principals(), equalTo(List.of()));
    }

    @Test
    void defaultUserIsTheFallbackPrincipal() {
        userRole("fallback", "\"default_user\":\"alice\",\"allowed_users\":\"alice,bob\"");
        assertThat(signed("fallback", body(ed25519, "")).principals(), equalTo(List.of("alice")));
        assertThat(signed("fallback", body(ed25519, "\"valid_principals\":\"\"")).principals(),
                equalTo(List.of("alice")));
        assertThat(signed("fallback", body(ed25519, "\"valid_principals\":\" , \"")).principals(),
                equalTo(List.of("alice")));
        assertThat(signed("fallback", body(ed25519, "\"valid_principals\":\"bob\"")).principals(),
                equalTo(List.of("bob")));
        // Even allow_empty_principals does not beat the default user.
        userRole("fallback-empty", "\"default_user\":\"alice\",\"allowed_users\":\"alice\","
                + "\"allow_empty_principals\":true");
        assertThat(signed("fallback-empty", body(ed25519, "\"valid_principals\":\"\"")).principals(),
                equalTo(List.of("alice")));
    }

    @Test
    void defaultUserIsNotImplicitlyAllowed() {
        userRole("default-not-allowed", "\"default_user\":\"carol\",\"allowed_users\":\"alice\"");
        assertError(sign(mount, "default-not-allowed", body(ed25519, "")), 400,
                "carol is not a valid value for valid_principals");
        userRole("default-no-list", "\"default_user\":\"carol\"");
        assertError(sign(mount, "default-no-list", body(ed25519, "")), 400,
                "role is not configured to allow any principals");
    }

    @Test
    void allowedUsersRules() {
        userRole("no-users", "");
        assertError(sign(mount, "no-users", body(ed25519, "\"valid_principals\":\"alice\"")), 400,
                "role is not configured to allow any principals");
        userRole("blank-users", "\"allowed_users\":\" , \"");
        assertError(sign(mount, "blank-users", body(ed25519, "\"valid_principals\":\"alice\"")), 400,
                "role is not configured to allow any principals");

        userRole("users", "\"allowed_users\":\"alice, bob\"");
        // Trimmed, de-duplicated, sorted.
        assertThat(signed("users", body(ed25519, "\"valid_principals\":\" bob,alice , bob,\"")).principals(),
                equalTo(List.of("alice", "bob")));
        assertError(sign(mount, "users", body(ed25519, "\"valid_principals\":\"alice,mallory\"")), 400,
                "mallory is not a valid value for valid_principals");
        assertError(sign(mount, "users", body(ed25519, "\"valid_principals\":\"Alice\"")), 400,
                "Alice is not a valid value for valid_principals");
        // The first refused principal in sorted order is named.
        assertError(sign(mount, "users", body(ed25519, "\"valid_principals\":\"zed,eve\"")), 400,
                "eve is not a valid value for valid_principals");

        userRole("star", "\"allowed_users\":\"*\"");
        assertThat(signed("star", body(ed25519, "\"valid_principals\":\"root,anyone,*\"")).principals(),
                equalTo(List.of("*", "anyone", "root")));
        // A * inside a list has no special meaning.
        userRole("star-in-list", "\"allowed_users\":\"alice,*\"");
        assertError(sign(mount, "star-in-list", body(ed25519, "\"valid_principals\":\"bob\"")), 400,
                "bob is not a valid value for valid_principals");
        assertThat(signed("star-in-list", body(ed25519, "\"valid_principals\":\"*\"")).principals(),
                equalTo(List.of("*")));
    }

    @Test
    void hostPrincipalRules() {
        role(mount, "host-sub", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"example.com, example.org\",\"allow_subdomains\":true,\"default_user\":\"ignored\"}");
        assertThat(signed("host-sub", body(p256, "\"cert_type\":\"host\","
                + "\"valid_principals\":\"a.b.example.org,web.example.com\"")).principals(),
                equalTo(List.of("a.b.example.org", "web.example.com")));
        assertError(sign(mount, "host-sub", body(p256, "\"cert_type\":\"host\",\"valid_principals\":\"example.com\"")),
                400, "example.com is not a valid value for valid_principals");
        assertError(sign(mount, "host-sub", body(p256, "\"cert_type\":\"host\","
                + "\"valid_principals\":\"badexample.com\"")), 400, "badexample.com is not a valid value for valid_principals");
        // The default principal of a host certificate is always empty.
        assertError(sign(mount, "host-sub", body(p256, "\"cert_type\":\"host\"")), 400,
                "empty valid principals not allowed by role");

        role(mount, "host-bare", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"example.com\",\"allow_bare_domains\":true}");
        assertThat(signed("host-bare", body(p256, "\"cert_type\":\"host\",\"valid_principals\":\"example.com\""))
                .principals(), equalTo(List.of("example.com")));
        assertError(sign(mount, "host-bare", body(p256, "\"cert_type\":\"host\","
                + "\"valid_principals\":\"web.example.com\"")), 400, "web.example.com is not a valid value for valid_principals");

        role(mount, "host-neither", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"example.com\"}");
        assertError(sign(mount, "host-neither", body(p256, "\"cert_type\":\"host\","
                + "\"valid_principals\":\"example.com\"")), 400, "example.com is not a valid value for valid_principals");

        role(mount, "host-star", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,\"allowed_domains\":\"*\"}");
        assertThat(signed("host-star", body(p256, "\"cert_type\":\"host\",\"valid_principals\":\"anything.at.all\""))
                .principals(), equalTo(List.of("anything.at.all")));
        role(mount, "host-star-list", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allowed_domains\":\"example.com,*\",\"allow_bare_domains\":true,\"allow_subdomains\":true}");
        assertError(sign(mount, "host-star-list", body(p256, "\"cert_type\":\"host\","
                + "\"valid_principals\":\"other.org\"")), 400, "other.org is not a valid value for valid_principals");

        role(mount, "host-none", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,\"allow_subdomains\":true}");
        assertError(sign(mount, "host-none", body(p256, "\"cert_type\":\"host\",\"valid_principals\":\"a.example.com\"")),
                400, "role is not configured to allow any principals");
        // allowed_users plays no part in host certificates.
        role(mount, "host-users", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,\"allowed_users\":\"*\"}");
        assertError(sign(mount, "host-users", body(p256, "\"cert_type\":\"host\",\"valid_principals\":\"h\"")), 400,
                "role is not configured to allow any principals");
    }

    // ---- TTL ----

    @Test
    void explicitTtlAboveRoleMaxIsRefused() {
        userRole("max-1h", "\"allowed_users\":\"*\",\"max_ttl\":\"1h\"");
        assertError(sign(mount, "max-1h", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":\"2h\"")), 400,
                "ttl is larger than maximum allowed 3600");
        assertError(sign(mount, "max-1h", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":3601")), 400,
                "ttl is larger than maximum allowed 3600");
        long before = nowSeconds();
        assertValidity(signed("max-1h", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":3600")), before,
                nowSeconds(), 30, 3600);
        // The role has no TTL, so the mount default (768 h) applies and is silently lowered to max_ttl.
        before = nowSeconds();
        assertValidity(signed("max-1h", body(ed25519, "\"valid_principals\":\"x\"")), before, nowSeconds(), 30, 3600);
        // An explicit 0 (or "") is still a requested TTL: it becomes the mount default, which is too long.
        assertError(sign(mount, "max-1h", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":0")), 400,
                "ttl is larger than maximum allowed 3600");
        assertError(sign(mount, "max-1h", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":\"\"")), 400,
                "ttl is larger than maximum allowed 3600");
    }

    @Test
    void roleTtlAndMountDefault() {
        userRole("ttl-10m", "\"allowed_users\":\"*\",\"ttl\":\"10m\"");
        long before = nowSeconds();
        assertValidity(signed("ttl-10m", body(ed25519, "\"valid_principals\":\"x\"")), before, nowSeconds(), 30, 600);
        before = nowSeconds();
        assertValidity(signed("ttl-10m", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":\"90s\"")), before,
                nowSeconds(), 30, 90);

        // No role TTL: the mount's default lease TTL, 768 h on an untuned mount.
        userRole("ttl-none", "\"allowed_users\":\"*\"");
        before = nowSeconds();
        assertValidity(signed("ttl-none", body(ed25519, "\"valid_principals\":\"x\"")), before, nowSeconds(), 30,
                768 * 3600);
        // An explicit zero means the same.
        before = nowSeconds();
        assertValidity(signed("ttl-10m", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":0")), before, nowSeconds(),
                30, 768 * 3600);
    }

    @Test
    void tunedMountTtlsApply() {
        String tuned = CaFixtures.mountWithEd25519Ca("sign-rules-ttl");
        Response t = DevServer.root().contentType("application/json")
                .body("{\"default_lease_ttl\":\"20m\",\"max_lease_ttl\":\"1h\"}")
                .post("/v1/sys/mounts/" + tuned + "/tune").andReturn();
        assertThat(t.asString(), t.statusCode(), is(204));
        role(tuned, "plain", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}");
        role(tuned, "long", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"ttl\":\"2h\"}");
        role(tuned, "capped", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"max_ttl\":\"5m\"}");
        role(tuned, "roomy", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"max_ttl\":\"3h\"}");
        String req = body(ed25519, "\"valid_principals\":\"x\"");

        long before = nowSeconds();
        assertValidity(signAndInspect(tuned, "plain", req), before, nowSeconds(), 30, 1200);
        // Role TTL above the mount max (role max_ttl 0): silently lowered.
        before = nowSeconds();
        assertValidity(signAndInspect(tuned, "long", req), before, nowSeconds(), 30, 3600);
        // Mount default above the role max: silently lowered.
        before = nowSeconds();
        assertValidity(signAndInspect(tuned, "capped", req), before, nowSeconds(), 30, 300);
        // Explicit TTL above the mount max when the role has none.
        assertError(sign(tuned, "plain", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":\"61m\"")), 400,
                "ttl is larger than maximum allowed 3600");
        // A role max_ttl replaces the mount max, even when larger.
        before = nowSeconds();
        assertValidity(signAndInspect(tuned, "roomy", body(ed25519, "\"valid_principals\":\"x\",\"ttl\":\"150m\"")),
                before, nowSeconds(), 30, 9000);
    }

    // ---- critical options ----

    @Test
    void criticalOptionRules() {
        userRole("crit", "\"allowed_users\":\"*\",\"allowed_critical_options\":\"source-address\","
                + "\"default_critical_options\":{\"force-command\":\"/bin/true\"}");
        // Defaults are used unchecked when the request has none.
        assertThat(signed("crit", body(ed25519, "\"valid_principals\":\"x\"")).criticalOptions(),
                equalTo(List.of("force-command /bin/true")));
        assertThat(signed("crit", body(ed25519, "\"valid_principals\":\"x\",\"critical_options\":{}")).criticalOptions(),
                equalTo(List.of("force-command /bin/true")));
        // Requested options replace the defaults and must be allowed.
        assertThat(signed("crit", body(ed25519, "\"valid_principals\":\"x\","
                + "\"critical_options\":{\"source-address\":\"10.0.0.0/8\"}")).criticalOptions(),
                equalTo(List.of("source-address 10.0.0.0/8")));
        assertError(sign(mount, "crit", body(ed25519, "\"valid_principals\":\"x\","
                + "\"critical_options\":{\"force-command\":\"/bin/sh\"}")), 400,
                "critical options not on allowed list: [force-command]");
        // Refused names are sorted, where Vault's order is random (README, "Deliberate differences from Vault").
        assertError(sign(mount, "crit", body(ed25519, "\"valid_principals\":\"x\","
                + "\"critical_options\":{\"zz-option\":\"\",\"source-address\":\"10.0.0.0/8\",\"force-command\":\"\"}")),
                400, "critical options not on allowed list: [force-command zz-option]");

        // An empty allowed list allows anything.
        userRole("crit-any", "\"allowed_users\":\"*\"");
        assertThat(signed("crit-any", body(ed25519, "\"valid_principals\":\"x\","
                + "\"critical_options\":{\"force-command\":\"/bin/ls -l\",\"verify-required\":\"\"}")).criticalOptions(),
                equalTo(List.of("force-command /bin/ls -l", "verify-required")));

        // Allowed items are trimmed, which Vault does not do (README, "Deliberate differences from Vault").
        userRole("crit-trim", "\"allowed_users\":\"*\",\"allowed_critical_options\":\"force-command, source-address\"");
        assertThat(signed("crit-trim", body(ed25519, "\"valid_principals\":\"x\","
                + "\"critical_options\":{\"source-address\":\"192.168.0.0/16\"}")).criticalOptions(),
                equalTo(List.of("source-address 192.168.0.0/16")));
    }

    // ---- extensions ----

    @Test
    void extensionRules() {
        userRole("ext-none", "\"allowed_users\":\"*\"");
        // An empty allowed list rejects every requested extension.
        assertError(sign(mount, "ext-none", body(ed25519, "\"valid_principals\":\"x\","
                + "\"extensions\":{\"permit-pty\":\"\"}")), 400, "extensions [permit-pty] are not on allowed list");
        // Vault adds nothing on its own.
        assertThat(signed("ext-none", body(ed25519, "\"valid_principals\":\"x\"")).extensions(), equalTo(List.of()));

        userRole("ext-some", "\"allowed_users\":\"*\",\"allowed_extensions\":\"permit-pty, permit-agent-forwarding\","
                + "\"default_extensions\":{\"permit-X11-forwarding\":\"\",\"permit-user-rc\":\"\"}");
        // Defaults are used unchecked when the request has none.
        assertThat(signed("ext-some", body(ed25519, "\"valid_principals\":\"x\"")).extensions(),
                equalTo(List.of("permit-X11-forwarding", "permit-user-rc")));
        assertThat(signed("ext-some", body(ed25519, "\"valid_principals\":\"x\",\"extensions\":{}")).extensions(),
                equalTo(List.of("permit-X11-forwarding", "permit-user-rc")));
        // Requested extensions replace the defaults (allowed items trimmed, unlike Vault's).
        assertThat(signed("ext-some", body(ed25519, "\"valid_principals\":\"x\","
                + "\"extensions\":{\"permit-agent-forwarding\":\"\",\"permit-pty\":\"\"}")).extensions(),
                equalTo(List.of("permit-agent-forwarding", "permit-pty")));
        assertError(sign(mount, "ext-some", body(ed25519, "\"valid_principals\":\"x\","
                + "\"extensions\":{\"permit-user-rc\":\"\",\"permit-pty\":\"\",\"permit-port-forwarding\":\"\"}")), 400,
                "extensions [permit-port-forwarding permit-user-rc] are not on allowed list");

        userRole("ext-star", "\"allowed_users\":\"*\",\"allowed_extensions\":\"*\","
                + "\"default_extensions\":{\"permit-pty\":\"\"}");
        KeygenListing c = signed("ext-star", body(ed25519, "\"valid_principals\":\"x\","
                + "\"extensions\":{\"login@example.com\":\"alice\",\"permit-user-rc\":\"\",\"count@example.com\":5}"));
        assertThat(c.raw(), c.extensions(), equalTo(List.of(KeygenListing.unknownOption("count@example.com", "5"),
                KeygenListing.unknownOption("login@example.com", "alice"), "permit-user-rc")));
    }

    @Test
    void theVaultSshCaModeBody() {
        userRole("vault-ssh", "\"allowed_users\":\"alice\",\"allowed_extensions\":" + quote(VAULT_SSH_EXTENSIONS));
        String cliBody = "{\"public_key\":" + quote(rsa2048.publicKeyText()) + ",\"valid_principals\":\"alice\","
                + "\"cert_type\":\"user\",\"extensions\":{\"permit-X11-forwarding\":\"\",\"permit-agent-forwarding\":\"\","
                + "\"permit-port-forwarding\":\"\",\"permit-pty\":\"\",\"permit-user-rc\":\"\"}}";
        JsonPath j = signOk(mount, "vault-ssh", cliBody);
        assertThat(j.getString("data.signed_key").isEmpty(), is(false));
        KeygenListing c = SshKeygen.inspect(j.getString("data.signed_key"));
        assertThat(c.type(), is("ssh-rsa-cert-v01@openssh.com user certificate"));
        assertThat(c.principals(), equalTo(List.of("alice")));
        assertThat(c.extensions(), equalTo(List.of(VAULT_SSH_EXTENSIONS.split(","))));
        assertThat(c.publicKeyFingerprint(), is(rsa2048.fingerprint().sha256()));
    }

    // ---- identity templates: they draw on the token (README, "Deliberate differences from Vault") ----

    @Test
    void allowedUsersTemplate() {
        userRole("tpl-users", "\"allowed_users\":\"{{identity.entity.metadata.email}},ops\","
                + "\"allowed_users_template\":true");
        assertThat(signedAsChild("tpl-users", body(ed25519, "\"valid_principals\":\"alice@example.com,ops\""))
                .principals(), equalTo(List.of("alice@example.com", "ops")));
        assertError(postAs(child, mount, "sign/tpl-users", body(ed25519, "\"valid_principals\":\"bob\"")), 400,
                "bob is not a valid value for valid_principals");
        // The root token has no such metadata.
        assertErrorStartsWith(sign(mount, "tpl-users", body(ed25519, "\"valid_principals\":\"ops\"")), 400,
                "template '{{identity.entity.metadata.email}},ops' could not be rendered -> ");

        // Without the flag the text is literal.
        userRole("tpl-users-off", "\"allowed_users\":\"{{identity.entity.metadata.email}},ops\"");
        assertError(postAs(child, mount, "sign/tpl-users-off", body(ed25519,
                "\"valid_principals\":\"alice@example.com\"")), 400,
                "alice@example.com is not a valid value for valid_principals");
        assertThat(signed("tpl-users-off", body(ed25519, "\"valid_principals\":\"{{identity.entity.metadata.email}}\""))
                .principals(), equalTo(List.of("{{identity.entity.metadata.email}}")));
    }

    @Test
    void defaultUserTemplate() {
        userRole("tpl-default", "\"default_user\":\"{{identity.entity.metadata.login}}\",\"default_user_template\":true,"
                + "\"allowed_users\":\"alice\"");
        assertThat(signedAsChild("tpl-default", body(ed25519, "")).principals(), equalTo(List.of("alice")));
        userRole("tpl-default-off", "\"default_user\":\"{{identity.entity.metadata.login}}\",\"allowed_users\":\"alice\"");
        assertError(postAs(child, mount, "sign/tpl-default-off", body(ed25519, "")), 400,
                "{{identity.entity.metadata.login}} is not a valid value for valid_principals");
        userRole("tpl-default-name", "\"default_user\":\"{{identity.entity.name}}\",\"default_user_template\":true,"
                + "\"allowed_users\":\"*\"");
        assertThat(signedAsChild("tpl-default-name", body(ed25519, "")).principals(), equalTo(List.of("token-alice")));
        assertThat(signed("tpl-default-name", body(ed25519, "")).principals(), equalTo(List.of("token")));
        // A render failure is a 400 where Vault answers 500 (README, "Deliberate differences from Vault").
        userRole("tpl-default-missing", "\"default_user\":\"{{identity.entity.metadata.nope}}\","
                + "\"default_user_template\":true,\"allowed_users\":\"*\"");
        assertErrorStartsWith(postAs(child, mount, "sign/tpl-default-missing", body(ed25519, "")), 400,
                "template '{{identity.entity.metadata.nope}}' could not be rendered -> ");
    }

    @Test
    void allowedDomainsTemplate() {
        role(mount, "tpl-domains", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,\"allow_subdomains\":true,"
                + "\"allowed_domains\":\"{{identity.entity.metadata.domain}}\",\"allowed_domains_template\":true}");
        assertThat(signedAsChild("tpl-domains", body(p384, "\"cert_type\":\"host\","
                + "\"valid_principals\":\"web.alice.example.net\"")).principals(), equalTo(List.of("web.alice.example.net")));
        assertError(postAs(child, mount, "sign/tpl-domains", body(p384, "\"cert_type\":\"host\","
                + "\"valid_principals\":\"web.example.com\"")), 400, "web.example.com is not a valid value for valid_principals");
        role(mount, "tpl-domains-missing", "{\"key_type\":\"ca\",\"allow_host_certificates\":true,"
                + "\"allow_subdomains\":true,\"allowed_domains\":\"{{identity.entity.metadata.nope}}\","
                + "\"allowed_domains_template\":true}");
        assertErrorStartsWith(postAs(child, mount, "sign/tpl-domains-missing", body(p384, "\"cert_type\":\"host\","
                + "\"valid_principals\":\"web.alice.example.net\"")), 400,
                "template '{{identity.entity.metadata.nope}}' could not be rendered -> ");
    }

    @Test
    void defaultExtensionsTemplate() {
        userRole("tpl-ext", "\"allowed_users\":\"*\",\"default_extensions_template\":true,"
                + "\"default_extensions\":{\"login@example.com\":\"{{identity.entity.name}}\","
                + "\"id@example.com\":\"{{identity.entity.id}}\",\"permit-pty\":\"\"}");
        String signed = CaFixtures.ok(postAs(child, mount, "sign/tpl-ext", body(ed25519, "\"valid_principals\":\"x\"")))
                .getString("data.signed_key");
        KeygenListing c = SshKeygen.inspect(signed);
        assertThat(c.raw(), c.extensions(), equalTo(List.of(KeygenListing.unknownOption("id@example.com", childAccessor),
                KeygenListing.unknownOption("login@example.com", "token-alice"), "permit-pty")));
        assertThat(SshCertificate.parse(signed.strip()).extensions(), equalTo(Map.of(
                "login@example.com", "token-alice", "id@example.com", childAccessor, "permit-pty", "")));

        // Without the flag the values are literal.
        userRole("tpl-ext-off", "\"allowed_users\":\"*\","
                + "\"default_extensions\":{\"login@example.com\":\"{{identity.entity.name}}\"}");
        assertThat(signedAsChild("tpl-ext-off", body(ed25519, "\"valid_principals\":\"x\"")).extensions(),
                equalTo(List.of(KeygenListing.unknownOption("login@example.com", "{{identity.entity.name}}"))));

        // A missing metadata key is a 400 render failure.
        userRole("tpl-ext-missing", "\"allowed_users\":\"*\",\"default_extensions_template\":true,"
                + "\"default_extensions\":{\"login@example.com\":\"{{identity.entity.metadata.nope}}\"}");
        assertErrorStartsWith(postAs(child, mount, "sign/tpl-ext-missing", body(ed25519, "\"valid_principals\":\"x\"")),
                400, "template '{{identity.entity.metadata.nope}}' could not be rendered -> ");
    }

    @Test
    void missingMetadataKeyInAllowedUsers() {
        userRole("tpl-missing", "\"allowed_users\":\"{{identity.entity.metadata.nope}}\",\"allowed_users_template\":true");
        Response r = postAs(child, mount, "sign/tpl-missing", body(ed25519, "\"valid_principals\":\"alice\""));
        assertErrorStartsWith(r, 400, "template '{{identity.entity.metadata.nope}}' could not be rendered -> ");
        assertThat(r.jsonPath().getString("data"), nullValue());
    }
}
