package dev.latchkey.engine.ssh.ca;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.Reply;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.latchkey.engine.ssh.ca.CaMount.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code config/ca} on the engine: which of generate, import or refuse a write means, the keys it
 * makes or takes (checked by ssh-keygen, and by signing with them), read, delete, and
 * {@code public_key}'s raw text. That no answer carries the private key is checked on every answer.
 */
class ConfigCaPathTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ssh-keygen keys to import, made once per (type, bits, -m format). */
    private static final Map<String, SshKeygen.KeyPair> IMPORTS = new ConcurrentHashMap<>();

    private static SshKeygen.KeyPair importKey(String type, int bits, String format) {
        return IMPORTS.computeIfAbsent(type + "/" + bits + "/" + format, k -> format == null
                ? SshKeygen.generate(type, bits) : SshKeygen.generate(type, bits, "-m", format));
    }

    private static String importBody(String publicKey, String privateKey) {
        return "{\"public_key\":" + json(publicKey) + ",\"private_key\":" + json(privateKey) + "}";
    }

    /** A role that signs user certificates for "alice" with nothing else, and a certificate from it. */
    private static KeygenListing signUserKey(CaMount m) {
        m.role("signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\"}");
        return m.signed("signer", CaMount.key("ed25519"), "\"valid_principals\":\"alice\"");
    }

    private static void assertNotConfigured(CaMount m) {
        m.ssh.read("config/ca").assertError(400, "keys haven't been configured yet");
        assertNull(m.rawPublicKey());
    }

    /** The same text from the write answer, the read and the raw {@code public_key}. */
    private static void assertPublicKeyEverywhere(CaMount m, String expected) {
        assertEquals(Map.of("public_key", expected), m.ssh.read("config/ca").data());
        assertEquals(expected, m.rawPublicKey());
    }

    /**
     * Every engine answer that could leak the CA private key, as JSON: none carries a PEM block,
     * nor (for an imported key) any piece of the key file that is not public material.
     */
    private static void assertNoPrivateKeyAnywhere(CaMount m, SshKeygen.KeyPair imported) {
        List<String> answers = new ArrayList<>();
        answers.add(asJson(m.ssh.read("config/ca").data()));
        answers.add(m.rawPublicKey());
        answers.add(asJson(m.ssh.read("roles/signer").data()));
        answers.add(asJson(m.ssh.list("roles").data()));
        answers.add(asJson(m.sign("signer", CaMount.key("ed25519"), "\"valid_principals\":\"alice\"").data()));
        for (String answer : answers) {
            assertFalse(answer.contains("PRIVATE KEY"), answer);
            assertFalse(answer.contains("-----BEGIN"), answer);
            if (imported != null) {
                String flat = answer.replace("\\n", "").replace("\n", "");
                for (String piece : imported.privateOnlyPieces()) {
                    assertFalse(flat.contains(piece), piece + " in " + answer);
                }
            }
        }
    }

    private static String asJson(Object data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    // ---- generation ----

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # config/ca body                                                                     | public key type     | ssh-keygen -l bits
            {}                                                                                   | ssh-rsa             | 4096
            {"key_type":"rsa","key_bits":0}                                                      | ssh-rsa             | 4096
            {"key_type":"ssh-rsa","key_bits":2048}                                               | ssh-rsa             | 2048
            {"key_type":"rsa","key_bits":3072}                                                   | ssh-rsa             | 3072
            {"key_type":"ecdsa-sha2-nistp256"}                                                   | ecdsa-sha2-nistp256 | 256
            {"key_type":"ecdsa-sha2-nistp384","key_bits":521}                                    | ecdsa-sha2-nistp384 | 384
            {"key_type":"ecdsa-sha2-nistp521"}                                                   | ecdsa-sha2-nistp521 | 521
            {"key_type":"ec"}                                                                    | ecdsa-sha2-nistp256 | 256
            {"key_type":"ec","key_bits":256}                                                     | ecdsa-sha2-nistp256 | 256
            {"key_type":"ec","key_bits":384}                                                     | ecdsa-sha2-nistp384 | 384
            {"key_type":"ec","key_bits":"521"}                                                   | ecdsa-sha2-nistp521 | 521
            {"key_type":"ssh-ed25519"}                                                           | ssh-ed25519         | 256
            {"key_type":"ed25519","key_bits":4096}                                               | ssh-ed25519         | 256
            {"generate_signing_key":true,"key_type":"ed25519"}                                   | ssh-ed25519         | 256
            {"generate_signing_key":"true","key_type":"ec","public_key":"","private_key":""}     | ecdsa-sha2-nistp256 | 256
            """)
    void generateAnswersThePublicKeyWhichReadAndRawPublicKeyRepeat(String body, String type, int bits) {
        CaMount m = CaMount.empty();
        Reply r = m.ssh.writeJson("config/ca", body);
        assertEquals(Set.of("public_key"), r.data().keySet());
        assertNull(r.secret(), "nothing is leased");
        String publicKey = (String) r.data().get("public_key");
        assertTrue(publicKey.matches("^" + type + " [A-Za-z0-9+/]+={0,2}\n$"), publicKey);

        SshKeygen.Fingerprint fp = SshKeygen.fingerprint(publicKey);
        assertEquals(bits, fp.bits());
        assertEquals(KeygenListing.label(type), fp.label());
        assertPublicKeyEverywhere(m, publicKey);

        // The stored private half belongs to the public half: ssh-keygen verifies the CA signature.
        KeygenListing cert = signUserKey(m);
        assertEquals(fp.sha256(), cert.caFingerprint(), cert.raw());
        assertEquals(KeygenListing.label(type), cert.caLabel(), cert.raw());
        assertEquals(CaMount.defaultSignatureAlgorithm(type), cert.caAlgorithm(), cert.raw());
        assertNoPrivateKeyAnywhere(m, null);
        assertFalse(asJson(r.data()).contains("PRIVATE"));
    }

    // ---- refusals: which of generate, import or refuse a write means, and the generator's limits ----

    /**
     * A refused write says why and configures nothing. In the bodies, {@code $PUB} and
     * {@code $PRIV} stand for the two halves of an Ed25519 key made by ssh-keygen, {@code $MISTYPED}
     * for its public key behind the type word {@code ssh-rsa}, {@code $LOCKED_*} for a key pair
     * whose private half has a passphrase, and {@code $BAD_PEM} for an OpenSSH PEM block that holds
     * no key.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # config/ca body                                                           | error
            # the generator's limits; Vault answers them with 500 (README, "Deliberate differences from Vault")
            {"key_type":"rsa","key_bits":1024}                                         | refusing to generate weak rsa key: 1024 bits < 2048 bits
            {"key_type":"ssh-rsa","key_bits":2047}                                     | refusing to generate weak ssh-rsa key: 2047 bits < 2048 bits
            {"key_bits":1024}                                                          | refusing to generate weak ssh-rsa key: 1024 bits < 2048 bits
            {"key_type":"ec","key_bits":255}                                           | unknown ECDSA key pair algorithm and bits: ec / 255
            {"key_type":"ec","key_bits":2048}                                          | unknown ECDSA key pair algorithm and bits: ec / 2048
            {"key_type":"dsa"}                                                         | unknown ssh key pair algorithm: dsa
            {"key_type":"RSA"}                                                         | unknown ssh key pair algorithm: RSA
            {"key_type":"ssh-dss"}                                                     | unknown ssh key pair algorithm: ssh-dss
            {"key_type":"ecdsa-sha2-nistp999"}                                         | unknown ssh key pair algorithm: ecdsa-sha2-nistp999
            # generate_signing_key true with any key
            {"generate_signing_key":true,"public_key":$PUB}                            | public_key and private_key must not be set when generate_signing_key is set to true
            {"generate_signing_key":true,"private_key":$PRIV}                          | public_key and private_key must not be set when generate_signing_key is set to true
            {"generate_signing_key":true,"public_key":$PUB,"private_key":$PRIV}        | public_key and private_key must not be set when generate_signing_key is set to true
            {"generate_signing_key":"1","public_key":"garbage"}                        | public_key and private_key must not be set when generate_signing_key is set to true
            # generate_signing_key false means import, and the missing half is named
            {"generate_signing_key":false}                                             | missing public_key
            {"generate_signing_key":false,"private_key":$PRIV}                         | missing public_key
            {"generate_signing_key":false,"public_key":$PUB}                           | missing private_key
            {"generate_signing_key":"false","public_key":"","private_key":""}          | missing public_key
            # without generate_signing_key, one half alone
            {"public_key":$PUB}                                                        | only one of public_key and private_key set; both must be set to use, or both must be blank to auto-generate
            {"private_key":$PRIV}                                                      | only one of public_key and private_key set; both must be set to use, or both must be blank to auto-generate
            {"private_key":"junk","public_key":""}                                     | only one of public_key and private_key set; both must be set to use, or both must be blank to auto-generate
            # unparsable halves are named, the private one first; with generate_signing_key false and without it
            {"generate_signing_key":false,"public_key":$PUB,"private_key":"not a key"} | Unable to parse private_key as an SSH private key: …
            {"public_key":$PUB,"private_key":"not a key"}                              | Unable to parse private_key as an SSH private key: …
            {"generate_signing_key":false,"public_key":$PUB,"private_key":$BAD_PEM}    | Unable to parse private_key as an SSH private key: …
            {"public_key":$PUB,"private_key":$BAD_PEM}                                 | Unable to parse private_key as an SSH private key: …
            {"generate_signing_key":false,"public_key":"ssh-ed25519 AAAA","private_key":$PRIV} | Unable to parse public_key as an SSH public key: …
            {"public_key":"ssh-ed25519 AAAA","private_key":$PRIV}                      | Unable to parse public_key as an SSH public key: …
            {"generate_signing_key":false,"public_key":"not-base64!","private_key":$PRIV} | Unable to parse public_key as an SSH public key: …
            {"public_key":"not-base64!","private_key":$PRIV}                           | Unable to parse public_key as an SSH public key: …
            {"generate_signing_key":false,"public_key":"junk junk","private_key":"junk"} | Unable to parse private_key as an SSH private key: …
            {"public_key":"junk junk","private_key":"junk"}                            | Unable to parse private_key as an SSH private key: …
            # a type word that disagrees with the key: Vault takes it (README, "Deliberate differences from Vault")
            {"generate_signing_key":false,"public_key":$MISTYPED,"private_key":$PRIV}  | Unable to parse public_key as an SSH public key: …
            {"public_key":$MISTYPED,"private_key":$PRIV}                               | Unable to parse public_key as an SSH public key: …
            # a passphrase-protected key cannot be used
            {"public_key":$LOCKED_PUB,"private_key":$LOCKED_PRIV}                      | Unable to parse private_key as an SSH private key: …
            """)
    void aRefusedWriteSaysWhyAndConfiguresNothing(String body, String error) {
        SshKeygen.KeyPair k = importKey("ed25519", 0, null);
        String json = body.replace("$PUB", json(k.publicKeyText())).replace("$PRIV", json(k.privateKeyText()))
                .replace("$MISTYPED", json("ssh-rsa " + k.base64()))
                .replace("$BAD_PEM", json("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"));
        if (body.contains("$LOCKED")) {
            SshKeygen.KeyPair locked = SshKeygen.generate("ed25519", 0, "-N", "secret-passphrase");
            json = body.replace("$LOCKED_PUB", json(locked.publicKeyText()))
                    .replace("$LOCKED_PRIV", json(locked.privateKeyText()));
        }
        CaMount m = CaMount.empty();
        CaMount.assertRefused(m.ssh.writeJson("config/ca", json), error);
        assertNotConfigured(m);
    }

    // ---- import ----

    @ParameterizedTest(name = "[{index}] {0} {1} -m {2} bare={4}")
    @CsvSource(delimiter = '|', textBlock = """
            # ssh-keygen type | bits | -m format | PEM block           | public key as bare base64
            rsa               | 2048 | PEM       | RSA PRIVATE KEY     | false
            rsa               | 2048 | PEM       | RSA PRIVATE KEY     | true
            rsa               | 2048 | PKCS8     | PRIVATE KEY         | false
            rsa               | 2048 |           | OPENSSH PRIVATE KEY | true
            ecdsa             | 256  | PEM       | EC PRIVATE KEY      | false
            ecdsa             | 384  | PEM       | EC PRIVATE KEY      | true
            ecdsa             | 384  | PKCS8     | PRIVATE KEY         | false
            ecdsa             | 256  | PKCS8     | PRIVATE KEY         | true
            ecdsa             | 521  |           | OPENSSH PRIVATE KEY | false
            ecdsa             | 521  | PEM       | EC PRIVATE KEY      | false
            ed25519           | 0    |           | OPENSSH PRIVATE KEY | false
            ed25519           | 0    |           | OPENSSH PRIVATE KEY | true
            """)
    void importKeepsThePublicTextExactlyAndSignsWithTheImportedKey(String type, int bits, String format,
                                                                   String block, boolean bare) {
        SshKeygen.KeyPair ca = importKey(type, bits, format);
        assertTrue(ca.privateKeyText().contains("-----BEGIN " + block + "-----\n"), ca.privateKeyText());
        String publicKey = bare ? ca.base64() : ca.publicKeyText();
        String body = bare ? "{\"generate_signing_key\":false," + importBody(publicKey, ca.privateKeyText()).substring(1)
                : importBody(publicKey, ca.privateKeyText());
        CaMount m = CaMount.empty();
        m.ssh.writeJson("config/ca", body).assertNoContent();
        assertPublicKeyEverywhere(m, publicKey);

        KeygenListing cert = signUserKey(m);
        assertEquals(ca.fingerprint().sha256(), cert.caFingerprint(), cert.raw());
        assertEquals(ca.fingerprint().label(), cert.caLabel(), cert.raw());
        assertEquals(CaMount.defaultSignatureAlgorithm(ca.type()), cert.caAlgorithm(), cert.raw());
        assertNoPrivateKeyAnywhere(m, ca);
    }

    @Test
    void importDoesNotCheckThatTheHalvesBelongTogether() {
        SshKeygen.KeyPair a = importKey("ed25519", 0, null);
        SshKeygen.KeyPair b = importKey("ecdsa", 256, "PEM");
        CaMount m = CaMount.empty();
        m.ssh.writeJson("config/ca", importBody(a.publicKeyText(), b.privateKeyText())).assertNoContent();
        assertPublicKeyEverywhere(m, a.publicKeyText());
    }

    // ---- already configured, delete ----

    @Test
    void secondConfigurationIsRefusedWhetherGeneratedOrImported() {
        String already = "keys are already configured; delete them before reconfiguring";
        SshKeygen.KeyPair k = importKey("ed25519", 0, null);
        CaMount generated = CaMount.ed25519();
        for (String body : List.of("{\"key_type\":\"ed25519\"}", "{}",
                "{\"generate_signing_key\":true,\"key_type\":\"rsa\",\"key_bits\":4096}",
                importBody(k.publicKeyText(), k.privateKeyText()))) {
            generated.ssh.writeJson("config/ca", body).assertError(400, already);
        }
        assertPublicKeyEverywhere(generated, generated.publicKey());

        CaMount imported = CaMount.empty();
        imported.ssh.writeJson("config/ca", importBody(k.publicKeyText(), k.privateKeyText())).assertNoContent();
        imported.ssh.writeJson("config/ca", importBody(k.publicKeyText(), k.privateKeyText())).assertError(400, already);
        imported.ssh.writeJson("config/ca", "{\"key_type\":\"ed25519\"}").assertError(400, already);
        assertPublicKeyEverywhere(imported, k.publicKeyText());
    }

    @Test
    void deleteAlsoWhenEmptyThenSigningFailsAndTheMountCanBeConfiguredAgain() {
        CaMount m = CaMount.empty();
        m.ssh.delete("config/ca").assertNoContent();
        m.ssh.writeJson("config/ca", "{\"key_type\":\"ed25519\"}").ok();
        signUserKey(m);

        m.ssh.delete("config/ca").assertNoContent();
        assertNotConfigured(m);
        m.sign("signer", CaMount.key("ed25519"), "\"valid_principals\":\"alice\"")
                .assertError(400, "failed to read CA private key");
        m.ssh.delete("config/ca").assertNoContent();
        // The role survives: deleting the CA leaves the roles alone, as in Vault.
        assertNotNull(m.ssh.read("roles/signer").data());

        // After a delete the mount can be configured again, with a different key.
        SshKeygen.KeyPair k = importKey("ecdsa", 256, "PEM");
        m.ssh.writeJson("config/ca", importBody(k.publicKeyText(), k.privateKeyText())).assertNoContent();
        assertEquals(k.fingerprint().sha256(), signUserKey(m).caFingerprint());
    }

    @Test
    void aCertificateEmbedsTheCaPublicKeyThatConfigCaAnswered() {
        // Second opinion with Latchkey's own codec: the certificate's signature key is the CA key.
        CaMount m = CaMount.generated("{\"key_type\":\"ecdsa-sha2-nistp384\"}");
        m.role("signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\"}");
        String signed = CaMount.certificate(m.sign("signer", CaMount.key("ed25519"),
                "\"valid_principals\":\"alice\"")).signedKey();
        assertEquals(SshPublicKey.parse(m.publicKey().strip()), SshCertificate.parse(signed).signatureKey());
    }
}
