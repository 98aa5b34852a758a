package dev.latchkey.api.ssh.openssh;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.Requests;
import dev.latchkey.api.testing.TestIdp;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Single sign-on to SSH certificates, configured only: an identity provider's JWT for
 * {@code latchkey-alice@example.com} logs in through a jwt role bound to the example.com domain;
 * the CA role's principal is {@code {{identity.entity.aliases.<accessor>.name | local_part}}}; the
 * certificate it signs logs in as {@code latchkey-alice} on a real sshd; a user of another domain
 * is refused at login; and a policy templated on the same alias lets each user read only their
 * own CA role.
 */
class SsoToSshTest {
    private static final String OK = "latchkey-ok";

    @TempDir
    static Path dir;
    private static TestIdp idp;
    private static TestIdp.SigningKey key;
    private static String ca;
    private static String jwt;
    private static SshdProcess sshd;

    @BeforeAll
    static void setUp() throws Exception {
        HostAccounts.ensure();
        idp = new TestIdp();
        key = idp.publish(TestIdp.key("RS256", "sso-1"));
        ca = LatchkeyCa.mountWithCa("sso-ca", LatchkeyCa.CaKind.ED25519);
        jwt = "sso-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"type\":\"jwt\"}").post("/v1/sys/auth/" + jwt).then().statusCode(204);
        String accessor = DevServer.root().get("/v1/sys/auth/" + jwt).then().statusCode(200).extract().path("data.accessor");
        json(DevServer.root(), "{\"jwks_url\":\"" + idp.jwksUrl() + "\",\"bound_issuer\":\"https://idp.example.com\"}")
                .post("/v1/auth/" + jwt + "/config").then().statusCode(204);
        String user = "{{identity.entity.aliases." + accessor + ".name | local_part}}";
        String policy = "sso-" + UUID.randomUUID().toString().substring(0, 8);
        json(DevServer.root(), "{\"policy\":" + quote("path \"" + ca + "/sign/sso\" { capabilities = [\"update\"] }\n"
                + "path \"" + ca + "/roles/" + user + "\" { capabilities = [\"read\"] }\n")
                + "}").put("/v1/sys/policies/acl/" + policy).then().statusCode(204);
        json(DevServer.root(), "{\"role_type\":\"jwt\",\"user_claim\":\"email\",\"bound_audiences\":\"latchkey\","
                + "\"bound_claims_type\":\"glob\",\"bound_claims\":{\"email\":\"*@example.com\"},"
                + "\"token_policies\":\"" + policy + "\",\"token_ttl\":\"15m\"}")
                .post("/v1/auth/" + jwt + "/role/engineers").then().statusCode(204);
        Requests.role(ca, "sso", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users_template\":true,"
                + "\"allowed_users\":" + quote(user) + ",\"default_user_template\":true,\"default_user\":" + quote(user)
                + ",\"allowed_extensions\":\"permit-pty\",\"default_extensions\":{\"permit-pty\":\"\"},\"ttl\":\"5m\"}");
        for (String name : List.of(HostAccounts.ALICE, HostAccounts.BOB)) {
            Requests.role(ca, name, "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"" + name + "\"}");
        }
        Path trusted = TestFiles.write(dir.resolve("trusted_user_ca_keys"), LatchkeyCa.publicKey(ca));
        sshd = SshdProcess.builder(dir.resolve("sshd")).trustedUserCaKeys(trusted).start();
    }

    @AfterAll
    static void tearDown() {
        if (sshd != null) {
            sshd.close();
        }
        if (idp != null) {
            idp.close();
        }
    }

    private static Response login(String email) {
        long now = System.currentTimeMillis() / 1000;
        String token = TestIdp.sign(key, Map.of("iss", "https://idp.example.com", "aud", List.of("latchkey"),
                "sub", "sub-" + email, "email", email, "iat", now, "exp", now + 300));
        return json(DevServer.anonymous(), "{\"role\":\"engineers\",\"jwt\":" + quote(token) + "}")
                .put("/v1/auth/" + jwt + "/login");
    }

    private static RequestSpecification as(String token) {
        return DevServer.anonymous().header("X-Vault-Token", token);
    }

    @Test
    void theCertificateFollowsWhoLoggedIn() {
        String token = login(HostAccounts.ALICE + "@example.com").then().statusCode(200).extract().path("auth.client_token");
        SshKeygen.KeyPair userKey = SshKeygen.generate(dir, "alice", "ed25519", 0);
        Response signed = json(as(token), "{\"public_key\":" + quote(userKey.publicKeyText()) + "}").post("/v1/" + ca + "/sign/sso");
        assertEquals(200, signed.statusCode(), signed.asString());
        Path cert = TestFiles.write(dir.resolve("alice-cert.pub"), signed.path("data.signed_key"));
        String certText = signed.path("data.signed_key");
        assertThat(SshKeygen.inspect(certText).principals(), contains(HostAccounts.ALICE));

        Commands.Result r = OpenSsh.Login.to(sshd).as(HostAccounts.ALICE).keyAndCertificate(userKey.privateKeyFile(), cert)
                .knownHosts(dir.resolve("known_hosts"), "no").run("echo", OK);
        assertThat(r.describe(), r.exitCode(), is(0));
        assertThat(r.describe(), r.stdout(), containsString(OK));

        // the certificate names no one else: bob's principal is refused at signing
        json(as(token), "{\"public_key\":" + quote(userKey.publicKeyText()) + ",\"valid_principals\":\"" + HostAccounts.BOB + "\"}")
                .post("/v1/" + ca + "/sign/sso").then().statusCode(400);
        // the templated policy: alice reads her own role, not bob's
        as(token).get("/v1/" + ca + "/roles/" + HostAccounts.ALICE).then().statusCode(200);
        as(token).get("/v1/" + ca + "/roles/" + HostAccounts.BOB).then().statusCode(403);
        String bobToken = login(HostAccounts.BOB + "@example.com").then().statusCode(200).extract().path("auth.client_token");
        as(bobToken).get("/v1/" + ca + "/roles/" + HostAccounts.BOB).then().statusCode(200);
        as(bobToken).get("/v1/" + ca + "/roles/" + HostAccounts.ALICE).then().statusCode(403);
    }

    @Test
    void anotherDomainIsRefusedAtLogin() {
        login(HostAccounts.ALICE + "@other.example").then().statusCode(400).body("errors",
                contains("error validating claims: claim \"email\" does not match any associated bound claim values"));
    }

    /** An address whose local part is no account name yields no principal: the signing is refused, not mangled. */
    @Test
    void anUnsafeLocalPartSignsNothing() {
        String token = login("a,root@example.com").then().statusCode(200).extract().path("auth.client_token");
        SshKeygen.KeyPair userKey = SshKeygen.generate(dir, "unsafe", "ed25519", 0);
        json(as(token), "{\"public_key\":" + quote(userKey.publicKeyText()) + "}").post("/v1/" + ca + "/sign/sso")
                .then().statusCode(400).body("errors[0]", containsString("local_part"));
    }
}
