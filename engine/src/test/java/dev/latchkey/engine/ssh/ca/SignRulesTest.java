package dev.latchkey.engine.ssh.ca;

import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static dev.latchkey.engine.ssh.ca.CaMount.json;
import static dev.latchkey.engine.ssh.ca.CaMount.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code sign/:role} on the engine: every check of Vault's, in its order, and the rules for the
 * public key, its type and size, the key ID, the certificate type, the TTL, critical options and
 * extensions, each certificate checked through ssh-keygen -L. Principals have their own class
 * ({@link SignPrincipalsTest}), the caller's identity too ({@link SignPathTest}).
 */
class SignRulesTest {
    private static final String BAD_KEY = "failed to parse public_key as SSH key: …";
    private static final String REQUIREMENTS = "public_key failed to meet the key requirements: ";
    private static final String ANY_USER = "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\"}";

    private final CaMount ca = CaMount.ed25519();

    // ---- the role, then the public key ----

    @Test
    void theRoleIsLookedUpBeforeTheKey() {
        ca.sign("nope", key("ed25519"), "").assertError(400, "Unknown role: nope");
        ca.ssh.writeJson("sign/nope", "{}").assertError(400, "Unknown role: nope");
    }

    @Test
    void aMissingPublicKey() {
        ca.role("r", ANY_USER);
        ca.ssh.writeJson("sign/r", "{}").assertError(400, "missing public_key");
        ca.ssh.writeJson("sign/r", "{\"public_key\":\"\",\"valid_principals\":\"x\"}").assertError(400, "missing public_key");
    }

    static Stream<String> notSshPublicKeys() {
        String b64 = key("ed25519").base64();
        return Stream.of("garbage", "ssh-ed25519 garbage!", "ssh-ed25519 " + b64.substring(0, 24),
                b64.substring(0, b64.length() - 1), "ssh-ed25519", "AAAA",
                // A key line whose type word disagrees with the blob, which Vault accepts (README,
                // "Deliberate differences from Vault", CA roles).
                "ssh-rsa " + b64);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("notSshPublicKeys")
    void anUnparsablePublicKeyIsRefused(String publicKey) {
        ca.role("r", ANY_USER);
        CaMount.assertRefused(ca.ssh.writeJson("sign/r", "{\"public_key\":" + json(publicKey)
                + ",\"valid_principals\":\"x\"}"), BAD_KEY);
    }

    @Test
    void aCertificateIsNotAPublicKey() {
        ca.role("r", ANY_USER);
        String cert = CaMount.certificate(ca.sign("r", key("ed25519"), "\"valid_principals\":\"x\"")).signedKey();
        for (String text : List.of(cert, cert.split(" ")[1].strip())) {
            CaMount.assertRefused(ca.ssh.writeJson("sign/r", "{\"public_key\":" + json(text)
                    + ",\"valid_principals\":\"x\"}"), BAD_KEY);
        }
    }

    @Test
    void aFidoSecurityKeyIsRefused() {
        // An OpenSSH FIDO key, sk-ssh-ed25519@openssh.com: the strings type, public key (32 bytes) and application.
        byte[] pk = new byte[32];
        new SecureRandom().nextBytes(pk);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        for (byte[] field : List.of("sk-ssh-ed25519@openssh.com".getBytes(StandardCharsets.US_ASCII), pk,
                "ssh:".getBytes(StandardCharsets.US_ASCII))) {
            blob.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
            blob.writeBytes(field);
        }
        String line = "sk-ssh-ed25519@openssh.com " + Base64.getEncoder().encodeToString(blob.toByteArray());
        // OpenSSH itself reads it as a key.
        assertEquals("ED25519-SK", SshKeygen.fingerprint(line).label());
        ca.role("r", ANY_USER);
        CaMount.assertRefused(ca.ssh.writeJson("sign/r", "{\"public_key\":" + json(line)
                + ",\"valid_principals\":\"x\"}"), BAD_KEY);
    }

    // ---- the user key's type and size ----

    /** The outcome is "signed" or the refusal after Vault's "public_key failed to meet the key requirements: ". */
    @ParameterizedTest(name = "allowed_user_key_lengths {0}, {1} key: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
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
            # DSA keys are classified and sized, and certified when allowed
            {"dsa":[2048]}               | dsa      | key is of an invalid size: 1024
            {"ssh-dss":1024}             | dsa      | signed
            """)
    void keyTypesAndLengthsOfTheUserKey(String lengths, String keyName, String outcome) {
        ca.role("key-lengths", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\","
                + "\"allowed_user_key_lengths\":" + lengths + "}");
        SshKeygen.KeyPair user = key(keyName);
        if (outcome.equals("signed")) {
            KeygenListing c = ca.signed("key-lengths", user, "\"valid_principals\":\"x\"");
            assertEquals(user.certificateType() + " user certificate", c.type(), c.raw());
            assertEquals(user.fingerprint().sha256(), c.publicKeyFingerprint(), c.raw());
        } else {
            ca.sign("key-lengths", user, "\"valid_principals\":\"x\"").assertError(400, REQUIREMENTS + outcome);
        }
    }

    // ---- the order of the checks ----

    /** Each request mends the first fault of the one before; the role of the last three names a domain. */
    @ParameterizedTest(name = "[{index}] {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role                                                                                                                              | key     | request                                                                                                                    | outcome
            {"key_type":"ca","allow_host_certificates":true,"allowed_user_key_lengths":{"rsa":2048},"max_ttl":60,"allowed_critical_options":"a"} | ed25519 | "key_id":"k","cert_type":"user","valid_principals":"","ttl":120,"critical_options":{"b":""},"extensions":{"c":""}          | error: public_key failed to meet the key requirements: key of type ed25519 is not allowed
            {"key_type":"ca","allow_host_certificates":true,"allowed_user_key_lengths":{"rsa":2048},"max_ttl":60,"allowed_critical_options":"a"} | rsa2048 | "key_id":"k","cert_type":"user","valid_principals":"","ttl":120,"critical_options":{"b":""},"extensions":{"c":""}          | error: setting key_id is not allowed by role
            {"key_type":"ca","allow_host_certificates":true,"allowed_user_key_lengths":{"rsa":2048},"max_ttl":60,"allowed_critical_options":"a"} | rsa2048 | "cert_type":"user","valid_principals":"","ttl":120,"critical_options":{"b":""},"extensions":{"c":""}                       | error: cert_type 'user' is not allowed by role
            {"key_type":"ca","allow_host_certificates":true,"allowed_user_key_lengths":{"rsa":2048},"max_ttl":60,"allowed_critical_options":"a"} | rsa2048 | "cert_type":"host","valid_principals":"","ttl":120,"critical_options":{"b":""},"extensions":{"c":""}                       | error: empty valid principals not allowed by role
            {"key_type":"ca","allow_host_certificates":true,"allowed_domains":"*","allowed_user_key_lengths":{"rsa":2048},"max_ttl":60,"allowed_critical_options":"a"} | rsa2048 | "cert_type":"host","valid_principals":"h","ttl":120,"critical_options":{"b":""},"extensions":{"c":""} | error: ttl is larger than maximum allowed 60
            {"key_type":"ca","allow_host_certificates":true,"allowed_domains":"*","allowed_user_key_lengths":{"rsa":2048},"max_ttl":60,"allowed_critical_options":"a"} | rsa2048 | "cert_type":"host","valid_principals":"h","ttl":30,"critical_options":{"b":""},"extensions":{"c":""}  | error: critical options not on allowed list: [b]
            {"key_type":"ca","allow_host_certificates":true,"allowed_domains":"*","allowed_user_key_lengths":{"rsa":2048},"max_ttl":60,"allowed_critical_options":"a"} | rsa2048 | "cert_type":"host","valid_principals":"h","ttl":30,"critical_options":{"a":""},"extensions":{"c":""}  | error: extensions [c] are not on allowed list
            """)
    void theChecksComeInVaultsOrder(String role, String keyName, String request, String outcome) {
        ca.check(role, key(keyName), request, outcome);
    }

    // ---- certificate type and key ID ----

    /** An OTP role has neither certificate flag: it fails at the certificate-type step, after the key and key-ID steps. */
    @ParameterizedTest(name = "[{index}] {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role                                                                    | request                                   | outcome
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}      | "valid_principals":"x","cert_type":"host" | error: cert_type 'host' is not allowed by role
            {"key_type":"ca","allow_host_certificates":true,"allowed_domains":"*"}    | "valid_principals":"x"                    | error: cert_type 'user' is not allowed by role
            {"key_type":"ca","allow_host_certificates":true,"allowed_domains":"*"}    | "valid_principals":"x","cert_type":"user" | error: cert_type 'user' is not allowed by role
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}      | "valid_principals":"x","cert_type":"bogus" | error: cert_type must be either 'user' or 'host'
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}      | "valid_principals":"x","cert_type":"User" | error: cert_type must be either 'user' or 'host'
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}      | "valid_principals":"x","cert_type":"HOST" | error: cert_type must be either 'user' or 'host'
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}      | "valid_principals":"x","cert_type":" user" | error: cert_type must be either 'user' or 'host'
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}      | "valid_principals":"x"                    | type: ssh-ed25519-cert-v01@openssh.com user certificate
            {"key_type":"ca","allow_host_certificates":true,"allowed_domains":"*"}    | "valid_principals":"h","cert_type":"host" | type: ssh-ed25519-cert-v01@openssh.com host certificate
            {"key_type":"otp","default_user":"u","cidr_list":"10.0.0.0/8"}            |                                           | error: cert_type 'user' is not allowed by role
            {"key_type":"otp","default_user":"u","cidr_list":"10.0.0.0/8"}            | "cert_type":"host"                        | error: cert_type 'host' is not allowed by role
            {"key_type":"otp","default_user":"u","cidr_list":"10.0.0.0/8"}            | "key_id":"mine"                           | error: setting key_id is not allowed by role
            {"key_type":"otp","default_user":"u","cidr_list":"10.0.0.0/8"}            | "cert_type":"bogus"                       | error: cert_type must be either 'user' or 'host'
            # key_id needs allow_user_key_ids, and then beats the format; an empty key_id is "not set"
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}      | "valid_principals":"x","key_id":"mine"    | error: setting key_id is not allowed by role
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","allow_user_key_ids":true,"key_id_format":"ignored"} | "valid_principals":"x","key_id":"my id {{role_name}}" | key id: my id {{role_name}}
            {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","allow_user_key_ids":true,"key_id_format":"ignored"} | "valid_principals":"x","key_id":""                    | key id: ignored
            """)
    void certificateTypeAndKeyId(String role, String request, String outcome) {
        ca.check(role, key("ed25519"), request, outcome);
    }

    @Test
    void anOtpRoleStillHasItsKeyParsedFirst() {
        ca.role("otp", "{\"key_type\":\"otp\",\"default_user\":\"u\",\"cidr_list\":\"10.0.0.0/8\"}");
        CaMount.assertRefused(ca.ssh.writeJson("sign/otp", "{\"public_key\":\"junk\"}"), BAD_KEY);
    }

    // ---- TTL ----

    /**
     * {@code 768h} is an untuned mount (Vault's default lease TTLs); {@code tuned} one whose default
     * is 20m and maximum 1h. An explicit TTL above the maximum is refused, a TTL from the role or
     * the mount is silently lowered; an explicit 0 (or "") is still a requested TTL that becomes
     * the mount default.
     */
    @ParameterizedTest(name = "[{index}] {0} mount, {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # mount | role                                                                                  | request                              | outcome
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","max_ttl":"1h"}  | "valid_principals":"x","ttl":"2h"    | error: ttl is larger than maximum allowed 3600
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","max_ttl":"1h"}  | "valid_principals":"x","ttl":3601    | error: ttl is larger than maximum allowed 3600
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","max_ttl":"1h"}  | "valid_principals":"x","ttl":3600    | validity: -30 +3600
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","max_ttl":"1h"}  | "valid_principals":"x"               | validity: -30 +3600
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","max_ttl":"1h"}  | "valid_principals":"x","ttl":0       | error: ttl is larger than maximum allowed 3600
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","max_ttl":"1h"}  | "valid_principals":"x","ttl":""      | error: ttl is larger than maximum allowed 3600
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","ttl":"10m"}     | "valid_principals":"x"               | validity: -30 +600
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","ttl":"10m"}     | "valid_principals":"x","ttl":"90s"   | validity: -30 +90
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","ttl":"10m"}     | "valid_principals":"x","ttl":0       | validity: -30 +2764800
            768h    | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}                 | "valid_principals":"x"               | validity: -30 +2764800
            tuned   | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}                 | "valid_principals":"x"               | validity: -30 +1200
            tuned   | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","ttl":"2h"}      | "valid_principals":"x"               | validity: -30 +3600
            tuned   | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","max_ttl":"5m"}  | "valid_principals":"x"               | validity: -30 +300
            tuned   | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*"}                 | "valid_principals":"x","ttl":"61m"   | error: ttl is larger than maximum allowed 3600
            # a role max_ttl replaces the mount's maximum, even when larger
            tuned   | {"key_type":"ca","allow_user_certificates":true,"allowed_users":"*","max_ttl":"3h"}  | "valid_principals":"x","ttl":"150m"  | validity: -30 +9000
            """)
    void ttlAgainstTheRoleAndTheMount(String mount, String role, String request, String outcome) {
        if (mount.equals("tuned")) {
            ca.ssh.through(CaMount.TUNED);
        }
        ca.check(role, key("ed25519"), request, outcome);
    }

    // ---- critical options and extensions ----

    /**
     * Defaults are used unchecked when the request has none; requested ones replace them and must
     * be allowed, where an empty allowed list allows any critical option and no extension. Allowed
     * items are trimmed and refused names sorted, unlike Vault's (README, "Deliberate differences
     * from Vault").
     */
    @ParameterizedTest(name = "[{index}] {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # role fields besides key_type, allow_user_certificates and allowed_users "*"                              | request fields besides valid_principals | outcome
            "allowed_critical_options":"source-address","default_critical_options":{"force-command":"/bin/true"}     |                                                                                 | critical options: force-command /bin/true
            "allowed_critical_options":"source-address","default_critical_options":{"force-command":"/bin/true"}     | "critical_options":{}                                                           | critical options: force-command /bin/true
            "allowed_critical_options":"source-address","default_critical_options":{"force-command":"/bin/true"}     | "critical_options":{"source-address":"10.0.0.0/8"}                              | critical options: source-address 10.0.0.0/8
            "allowed_critical_options":"source-address","default_critical_options":{"force-command":"/bin/true"}     | "critical_options":{"force-command":"/bin/sh"}                                  | error: critical options not on allowed list: [force-command]
            "allowed_critical_options":"source-address","default_critical_options":{"force-command":"/bin/true"}     | "critical_options":{"zz-option":"","source-address":"10.0.0.0/8","force-command":""} | error: critical options not on allowed list: [force-command zz-option]
                                                                                                                     | "critical_options":{"force-command":"/bin/ls -l","verify-required":""}          | critical options: force-command /bin/ls -l; verify-required
            "allowed_critical_options":"force-command, source-address"                                               | "critical_options":{"source-address":"192.168.0.0/16"}                          | critical options: source-address 192.168.0.0/16
                                                                                                                     | "extensions":{"permit-pty":""}                                                  | error: extensions [permit-pty] are not on allowed list
                                                                                                                     |                                                                                 | extensions: (none)
            "allowed_extensions":"permit-pty, permit-agent-forwarding","default_extensions":{"permit-X11-forwarding":"","permit-user-rc":""} |                                         | extensions: permit-X11-forwarding; permit-user-rc
            "allowed_extensions":"permit-pty, permit-agent-forwarding","default_extensions":{"permit-X11-forwarding":"","permit-user-rc":""} | "extensions":{}                         | extensions: permit-X11-forwarding; permit-user-rc
            "allowed_extensions":"permit-pty, permit-agent-forwarding","default_extensions":{"permit-X11-forwarding":"","permit-user-rc":""} | "extensions":{"permit-agent-forwarding":"","permit-pty":""} | extensions: permit-agent-forwarding; permit-pty
            "allowed_extensions":"permit-pty, permit-agent-forwarding","default_extensions":{"permit-X11-forwarding":"","permit-user-rc":""} | "extensions":{"permit-user-rc":"","permit-pty":"","permit-port-forwarding":""} | error: extensions [permit-port-forwarding permit-user-rc] are not on allowed list
            "allowed_extensions":"*","default_extensions":{"permit-pty":""}                                          | "extensions":{"login@example.com":"alice","permit-user-rc":"","count@example.com":5} | extensions: count@example.com=5; login@example.com=alice; permit-user-rc
            """)
    void criticalOptionsAndExtensions(String roleFields, String request, String outcome) {
        ca.check("{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"*\""
                        + (roleFields == null ? "" : "," + roleFields) + "}",
                key("ed25519"), "\"valid_principals\":\"x\"" + (request == null ? "" : "," + request), outcome);
    }

    @Test
    void theBodyOfVaultSshInCaMode() {
        String extensions = "permit-X11-forwarding,permit-agent-forwarding,permit-port-forwarding,permit-pty,permit-user-rc";
        ca.role("vault-ssh", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\","
                + "\"allowed_extensions\":" + json(extensions) + "}");
        SshKeygen.KeyPair user = key("rsa2048");
        KeygenListing c = ca.signed("vault-ssh", user, "\"valid_principals\":\"alice\",\"cert_type\":\"user\","
                + "\"extensions\":{\"permit-X11-forwarding\":\"\",\"permit-agent-forwarding\":\"\","
                + "\"permit-port-forwarding\":\"\",\"permit-pty\":\"\",\"permit-user-rc\":\"\"}");
        assertEquals("ssh-rsa-cert-v01@openssh.com user certificate", c.type());
        assertEquals(List.of("alice"), c.principals());
        assertEquals(List.of(extensions.split(",")), c.extensions());
        assertEquals(user.fingerprint().sha256(), c.publicKeyFingerprint());
    }
}
