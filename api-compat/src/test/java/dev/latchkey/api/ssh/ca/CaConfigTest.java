package dev.latchkey.api.ssh.ca;

import dev.latchkey.api.testing.DevServer;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.testing.KeygenListing;
import dev.latchkey.testing.SshKeygen;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static dev.latchkey.api.ssh.ca.CaFixtures.signOk;
import static dev.latchkey.api.testing.HttpAssertions.assertError;
import static dev.latchkey.api.testing.HttpAssertions.assertErrorStartsWith;
import static dev.latchkey.api.testing.HttpAssertions.assertNoContent;
import static dev.latchkey.api.testing.JsonText.quote;
import static dev.latchkey.api.testing.Requests.get;
import static dev.latchkey.api.testing.Requests.post;
import static dev.latchkey.api.testing.Requests.role;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

/** {@code config/ca} (generate, import, read, delete) and the raw, unauthenticated {@code public_key}. */
class CaConfigTest {
    private static final String NOT_CONFIGURED = "keys haven't been configured yet";
    private static final String ALREADY = "keys are already configured; delete them before reconfiguring";
    private static final String GENERATE_WITH_KEYS =
            "public_key and private_key must not be set when generate_signing_key is set to true";
    private static final String ONLY_ONE = "only one of public_key and private_key set; both must be set to use, "
            + "or both must be blank to auto-generate";
    private static final String BAD_PRIVATE = "Unable to parse private_key as an SSH private key: ";
    private static final String BAD_PUBLIC = "Unable to parse public_key as an SSH public key: ";

    /** ssh-keygen keys for imports, made once per (type, bits, format). */
    private static final Map<String, SshKeygen.KeyPair> KEYS = new ConcurrentHashMap<>();
    private static SshKeygen.KeyPair user;
    private static String decisionMount;

    @BeforeAll
    static void setUp() {
        user = SshKeygen.generate("ed25519", 0);
        decisionMount = DevServer.enableSsh("ca-decide");
    }

    private static SshKeygen.KeyPair key(String type, int bits, String format) {
        return KEYS.computeIfAbsent(type + "/" + bits + "/" + format, k -> format == null
                ? SshKeygen.generate(type, bits) : SshKeygen.generate(type, bits, "-m", format));
    }

    private static String importBody(String publicKey, String privateKey) {
        return "{\"public_key\":" + quote(publicKey) + ",\"private_key\":" + quote(privateKey) + "}";
    }

    /** A role that signs user certificates for "alice" with nothing else. */
    private static void signerRole(String mount) {
        role(mount, "signer", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,\"allowed_users\":\"alice\"}");
    }

    private static KeygenListing signUserKey(String mount) {
        String signed = signOk(mount, "signer", "{\"public_key\":" + quote(user.publicKeyText())
                + ",\"valid_principals\":\"alice\"}").getString("data.signed_key");
        return SshKeygen.inspect(signed);
    }

    private static void assertNotConfigured(String mount) {
        assertError(get(mount, "config/ca"), 400, NOT_CONFIGURED);
        Response raw = DevServer.anonymous().get("/v1/" + mount + "/public_key").andReturn();
        assertThat(raw.statusCode(), is(404));
        assertThat(raw.asString().trim(), is("{\"errors\":[]}"));
    }

    /** The same text from the write answer, the authenticated read and the raw unauthenticated path. */
    private static void assertPublicKeyEverywhere(String mount, String expected) {
        Response read = get(mount, "config/ca");
        assertThat(read.asString(), read.statusCode(), is(200));
        assertThat(read.jsonPath().getString("data.public_key"), is(expected));
        assertThat(read.jsonPath().getMap("data").keySet(), is(java.util.Set.of("public_key")));

        Response raw = DevServer.anonymous().get("/v1/" + mount + "/public_key").andReturn();
        assertThat(raw.statusCode(), is(200));
        assertThat(raw.getHeader("Content-Type"), is("text/plain"));
        assertThat(raw.getHeader("Cache-Control"), is("no-store"));
        assertThat("raw body, no envelope", raw.asString(), is(expected));
    }

    /** Every answer that could leak the CA private key: none carries any part of it. */
    private static void assertNoPrivateKeyAnywhere(String mount, String privatePem, String publicKey) {
        List<String> bodies = new ArrayList<>();
        bodies.add(get(mount, "config/ca").asString());
        bodies.add(DevServer.anonymous().get("/v1/" + mount + "/public_key").asString());
        bodies.add(get(mount, "roles/signer").asString());
        bodies.add(DevServer.root().request("LIST", "/v1/" + mount + "/roles").asString());
        bodies.add(post(mount, "sign/signer", "{\"public_key\":" + quote(user.publicKeyText())
                + ",\"valid_principals\":\"alice\"}").asString());
        bodies.add(DevServer.root().get("/v1/sys/mounts/" + mount).asString());
        for (String body : bodies) {
            assertThat(body, not(containsString("PRIVATE KEY")));
            assertThat(body, not(containsString("-----BEGIN")));
            if (privatePem != null) {
                String flat = body.replace("\\n", "").replace("\n", "");
                for (String chunk : privateOnlyChunks(privatePem, publicKey)) {
                    assertThat(chunk + " in " + body, flat.contains(chunk), is(false));
                }
            }
        }
    }

    /**
     * 16-character pieces of a private key file's base64 that encode more than public material: PEM
     * and OpenSSH containers embed the public key too (which answers legitimately show), so pieces
     * whose 12 bytes lie inside the length-prefixed public key blob, or run on into the zero bytes
     * that start the next short length, are left out (certificates embed the CA key that way too).
     */
    private static List<String> privateOnlyChunks(String privatePem, String publicKey) {
        String[] tokens = publicKey.strip().split(" ");
        byte[] blob = Base64.getDecoder().decode(tokens.length > 1 ? tokens[1] : tokens[0]);
        // As a length-prefixed string, followed by the three zero bytes that start a length under 256.
        byte[] prefixed = java.nio.ByteBuffer.allocate(7 + blob.length).putInt(blob.length).put(blob).array();
        StringBuilder joined = new StringBuilder();
        for (String line : privatePem.split("\n")) {
            if (!line.startsWith("-----") && !line.contains(":")) {
                joined.append(line.strip());
            }
        }
        String b64 = joined.toString();
        byte[] file = Base64.getDecoder().decode(b64);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i + 16 <= b64.length(); i += 4) {
            String chunk = b64.substring(i, i + 16);
            int at = i / 4 * 3;
            if (chunk.contains("=") || at + 12 > file.length) {
                continue;
            }
            if (indexOf(prefixed, java.util.Arrays.copyOfRange(file, at, at + 12)) < 0) {
                chunks.add(chunk);
            }
        }
        assertThat("the key file has private pieces to look for", chunks.size() > 4, is(true));
        return chunks;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- generation, the read and the raw public key ----

    static Stream<Arguments> generations() {
        return Stream.of(
                // body, expected public key type, expected ssh-keygen -l bits
                Arguments.of("{}", "ssh-rsa", 4096),
                Arguments.of("{\"key_type\":\"rsa\",\"key_bits\":0}", "ssh-rsa", 4096),
                Arguments.of("{\"key_type\":\"ssh-rsa\",\"key_bits\":2048}", "ssh-rsa", 2048),
                Arguments.of("{\"key_type\":\"rsa\",\"key_bits\":3072}", "ssh-rsa", 3072),
                Arguments.of("{\"key_type\":\"ecdsa-sha2-nistp256\"}", "ecdsa-sha2-nistp256", 256),
                Arguments.of("{\"key_type\":\"ecdsa-sha2-nistp384\",\"key_bits\":521}", "ecdsa-sha2-nistp384", 384),
                Arguments.of("{\"key_type\":\"ecdsa-sha2-nistp521\"}", "ecdsa-sha2-nistp521", 521),
                Arguments.of("{\"key_type\":\"ec\"}", "ecdsa-sha2-nistp256", 256),
                Arguments.of("{\"key_type\":\"ec\",\"key_bits\":256}", "ecdsa-sha2-nistp256", 256),
                Arguments.of("{\"key_type\":\"ec\",\"key_bits\":384}", "ecdsa-sha2-nistp384", 384),
                Arguments.of("{\"key_type\":\"ec\",\"key_bits\":\"521\"}", "ecdsa-sha2-nistp521", 521),
                Arguments.of("{\"key_type\":\"ssh-ed25519\"}", "ssh-ed25519", 256),
                Arguments.of("{\"key_type\":\"ed25519\",\"key_bits\":4096}", "ssh-ed25519", 256),
                Arguments.of("{\"generate_signing_key\":true,\"key_type\":\"ed25519\"}", "ssh-ed25519", 256),
                Arguments.of("{\"generate_signing_key\":\"true\",\"key_type\":\"ec\",\"public_key\":\"\","
                        + "\"private_key\":\"\"}", "ecdsa-sha2-nistp256", 256));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("generations")
    void generateAnswers200WithThePublicKeyWhichReadAndRawPublicKeyRepeat(String body, String type, int bits) {
        String mount = DevServer.enableSsh("ca-gen");
        Response r = post(mount, "config/ca", body);
        assertThat(r.asString(), r.statusCode(), is(200));
        assertThat(r.jsonPath().getMap("data").keySet(), is(java.util.Set.of("public_key")));
        assertThat(r.jsonPath().getString("lease_id"), is(""));
        String publicKey = r.jsonPath().getString("data.public_key");
        assertThat(publicKey, matchesPattern("^" + type + " [A-Za-z0-9+/]+={0,2}\n$"));

        SshKeygen.Fingerprint fp = SshKeygen.fingerprint(publicKey);
        assertThat(fp.bits(), is(bits));
        assertThat(fp.label(), is(KeygenListing.label(type)));
        assertPublicKeyEverywhere(mount, publicKey);

        // The stored private half belongs to the public half: ssh-keygen verifies the CA signature.
        signerRole(mount);
        KeygenListing cert = signUserKey(mount);
        assertThat(cert.caFingerprint(), is(fp.sha256()));
        assertThat(cert.caLabel(), is(KeygenListing.label(type)));
        assertThat(cert.caAlgorithm(), is(CaFixtures.defaultSignatureAlgorithm(type)));
        assertNoPrivateKeyAnywhere(mount, null, null);
        assertThat(r.asString(), not(containsString("PRIVATE")));
    }

    @Test
    void generationErrorsAre400WithVaultsTextAndStoreNothing() {
        String mount = decisionMount;
        assertError(post(mount, "config/ca", "{\"key_type\":\"rsa\",\"key_bits\":1024}"), 400,
                "refusing to generate weak rsa key: 1024 bits < 2048 bits");
        assertError(post(mount, "config/ca", "{\"key_type\":\"ssh-rsa\",\"key_bits\":2047}"), 400,
                "refusing to generate weak ssh-rsa key: 2047 bits < 2048 bits");
        assertError(post(mount, "config/ca", "{\"key_bits\":1024}"), 400,
                "refusing to generate weak ssh-rsa key: 1024 bits < 2048 bits");
        assertError(post(mount, "config/ca", "{\"key_type\":\"ec\",\"key_bits\":255}"), 400,
                "unknown ECDSA key pair algorithm and bits: ec / 255");
        assertError(post(mount, "config/ca", "{\"key_type\":\"ec\",\"key_bits\":2048}"), 400,
                "unknown ECDSA key pair algorithm and bits: ec / 2048");
        assertError(post(mount, "config/ca", "{\"key_type\":\"dsa\"}"), 400, "unknown ssh key pair algorithm: dsa");
        assertError(post(mount, "config/ca", "{\"key_type\":\"RSA\"}"), 400, "unknown ssh key pair algorithm: RSA");
        assertError(post(mount, "config/ca", "{\"key_type\":\"ssh-dss\"}"), 400,
                "unknown ssh key pair algorithm: ssh-dss");
        assertError(post(mount, "config/ca", "{\"key_type\":\"ecdsa-sha2-nistp999\"}"), 400,
                "unknown ssh key pair algorithm: ecdsa-sha2-nistp999");
        assertNotConfigured(mount);
    }

    // ---- which of generate, import or refuse a config/ca write means ----

    @Test
    void generateSetToTrueWithAnyKeyIsRefused() {
        SshKeygen.KeyPair k = key("ed25519", 0, null);
        for (String body : List.of(
                "{\"generate_signing_key\":true,\"public_key\":" + quote(k.publicKeyText()) + "}",
                "{\"generate_signing_key\":true,\"private_key\":" + quote(k.privateKeyText()) + "}",
                "{\"generate_signing_key\":true," + importBody(k.publicKeyText(), k.privateKeyText()).substring(1),
                "{\"generate_signing_key\":\"1\",\"public_key\":\"garbage\"}")) {
            assertError(post(decisionMount, "config/ca", body), 400, GENERATE_WITH_KEYS);
        }
        assertNotConfigured(decisionMount);
    }

    @Test
    void generateSetToFalseMeansImportAndNamesTheMissingHalf() {
        SshKeygen.KeyPair k = key("ed25519", 0, null);
        assertError(post(decisionMount, "config/ca", "{\"generate_signing_key\":false}"), 400, "missing public_key");
        assertError(post(decisionMount, "config/ca", "{\"generate_signing_key\":false,\"private_key\":"
                + quote(k.privateKeyText()) + "}"), 400, "missing public_key");
        assertError(post(decisionMount, "config/ca", "{\"generate_signing_key\":false,\"public_key\":"
                + quote(k.publicKeyText()) + "}"), 400, "missing private_key");
        assertError(post(decisionMount, "config/ca", "{\"generate_signing_key\":\"false\",\"public_key\":\"\","
                + "\"private_key\":\"\"}"), 400, "missing public_key");
        assertNotConfigured(decisionMount);
    }

    @Test
    void unparsableHalvesAreNamedPrivateFirst() {
        SshKeygen.KeyPair k = key("ed25519", 0, null);
        String badPem = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
        for (String gen : List.of("\"generate_signing_key\":false,", "")) {
            assertErrorStartsWith(post(decisionMount, "config/ca", "{" + gen + "\"public_key\":"
                    + quote(k.publicKeyText()) + ",\"private_key\":\"not a key\"}"), 400, BAD_PRIVATE);
            assertErrorStartsWith(post(decisionMount, "config/ca", "{" + gen + "\"public_key\":"
                    + quote(k.publicKeyText()) + ",\"private_key\":" + quote(badPem) + "}"), 400, BAD_PRIVATE);
            assertErrorStartsWith(post(decisionMount, "config/ca", "{" + gen + "\"public_key\":\"ssh-ed25519 AAAA\","
                    + "\"private_key\":" + quote(k.privateKeyText()) + "}"), 400, BAD_PUBLIC);
            assertErrorStartsWith(post(decisionMount, "config/ca", "{" + gen + "\"public_key\":\"not-base64!\","
                    + "\"private_key\":" + quote(k.privateKeyText()) + "}"), 400, BAD_PUBLIC);
            // A key line whose type word disagrees with its blob: Vault takes it, Latchkey refuses it
            // (README, "Deliberate differences from Vault", CA roles).
            assertErrorStartsWith(post(decisionMount, "config/ca", "{" + gen + "\"public_key\":"
                    + quote("ssh-rsa " + k.base64()) + ",\"private_key\":" + quote(k.privateKeyText()) + "}"), 400, BAD_PUBLIC);
            // Both broken: the private key is parsed first.
            assertErrorStartsWith(post(decisionMount, "config/ca", "{" + gen + "\"public_key\":\"junk junk\","
                    + "\"private_key\":\"junk\"}"), 400, BAD_PRIVATE);
        }
        // A passphrase-protected key cannot be used.
        SshKeygen.KeyPair locked = SshKeygen.generate("ed25519", 0, "-N", "secret-passphrase");
        assertErrorStartsWith(post(decisionMount, "config/ca", importBody(locked.publicKeyText(),
                locked.privateKeyText())), 400, BAD_PRIVATE);
        assertNotConfigured(decisionMount);
    }

    @Test
    void notSetWithOnlyOneHalfIsRefused() {
        SshKeygen.KeyPair k = key("ed25519", 0, null);
        assertError(post(decisionMount, "config/ca", "{\"public_key\":" + quote(k.publicKeyText()) + "}"), 400, ONLY_ONE);
        assertError(post(decisionMount, "config/ca", "{\"private_key\":" + quote(k.privateKeyText()) + "}"), 400,
                ONLY_ONE);
        assertError(post(decisionMount, "config/ca", "{\"private_key\":\"junk\",\"public_key\":\"\"}"), 400,
                ONLY_ONE);
        assertNotConfigured(decisionMount);
    }

    // ---- import ----

    static Stream<Arguments> imports() {
        return Stream.of(
                // ssh-keygen type, bits, -m format, expected PEM block, public key as bare base64
                Arguments.of("rsa", 2048, "PEM", "RSA PRIVATE KEY", false),
                Arguments.of("rsa", 2048, "PEM", "RSA PRIVATE KEY", true),
                Arguments.of("rsa", 2048, "PKCS8", "PRIVATE KEY", false),
                Arguments.of("rsa", 2048, null, "OPENSSH PRIVATE KEY", true),
                Arguments.of("ecdsa", 256, "PEM", "EC PRIVATE KEY", false),
                Arguments.of("ecdsa", 384, "PEM", "EC PRIVATE KEY", true),
                Arguments.of("ecdsa", 384, "PKCS8", "PRIVATE KEY", false),
                Arguments.of("ecdsa", 256, "PKCS8", "PRIVATE KEY", true),
                Arguments.of("ecdsa", 521, null, "OPENSSH PRIVATE KEY", false),
                Arguments.of("ecdsa", 521, "PEM", "EC PRIVATE KEY", false),
                Arguments.of("ed25519", 0, null, "OPENSSH PRIVATE KEY", false),
                Arguments.of("ed25519", 0, null, "OPENSSH PRIVATE KEY", true));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -m {2} bare={4}")
    @MethodSource("imports")
    void importAnswers204KeepsThePublicTextExactlyAndSignsWithTheImportedKey(String type, int bits, String format,
                                                                             String block, boolean bare) {
        SshKeygen.KeyPair ca = key(type, bits, format);
        assertThat(ca.privateKeyText(), containsString("-----BEGIN " + block + "-----\n"));
        String publicKey = bare ? ca.base64() : ca.publicKeyText();
        String mount = DevServer.enableSsh("ca-import");
        String body = bare ? "{\"generate_signing_key\":false,\"public_key\":" + quote(publicKey) + ",\"private_key\":"
                + quote(ca.privateKeyText()) + "}" : importBody(publicKey, ca.privateKeyText());
        assertNoContent(post(mount, "config/ca", body));
        assertPublicKeyEverywhere(mount, publicKey);

        signerRole(mount);
        KeygenListing cert = signUserKey(mount);
        assertThat(cert.caFingerprint(), is(ca.fingerprint().sha256()));
        assertThat(cert.caLabel(), is(ca.fingerprint().label()));
        assertThat(cert.caAlgorithm(), is(CaFixtures.defaultSignatureAlgorithm(ca.type())));
        assertNoPrivateKeyAnywhere(mount, ca.privateKeyText(), ca.publicKeyText());
    }

    @Test
    void importDoesNotCheckThatTheHalvesBelongTogether() {
        SshKeygen.KeyPair a = key("ed25519", 0, null);
        SshKeygen.KeyPair b = key("ecdsa", 256, "PEM");
        String mount = DevServer.enableSsh("ca-mismatch");
        assertNoContent(post(mount, "config/ca", importBody(a.publicKeyText(), b.privateKeyText())));
        assertPublicKeyEverywhere(mount, a.publicKeyText());
    }

    // ---- already configured, read, delete ----

    @Test
    void secondConfigurationIsRefusedWhetherGeneratedOrImported() {
        String mount = DevServer.enableSsh("ca-twice");
        String first = CaFixtures.generateCa(mount, "{\"key_type\":\"ed25519\"}");
        SshKeygen.KeyPair k = key("ed25519", 0, null);
        assertError(post(mount, "config/ca", "{\"key_type\":\"ed25519\"}"), 400, ALREADY);
        assertError(post(mount, "config/ca", "{}"), 400, ALREADY);
        assertError(post(mount, "config/ca", "{\"generate_signing_key\":true,\"key_type\":\"rsa\",\"key_bits\":4096}"),
                400, ALREADY);
        assertError(post(mount, "config/ca", importBody(k.publicKeyText(), k.privateKeyText())), 400, ALREADY);
        assertPublicKeyEverywhere(mount, first);

        String imported = DevServer.enableSsh("ca-twice-imp");
        assertNoContent(post(imported, "config/ca", importBody(k.publicKeyText(), k.privateKeyText())));
        assertError(post(imported, "config/ca", importBody(k.publicKeyText(), k.privateKeyText())), 400, ALREADY);
        assertError(post(imported, "config/ca", "{\"key_type\":\"ed25519\"}"), 400, ALREADY);
        assertPublicKeyEverywhere(imported, k.publicKeyText());
    }

    @Test
    void readWithoutKeysIs400AndRawPublicKeyIs404WithEmptyErrors() {
        String mount = DevServer.enableSsh("ca-empty");
        assertNotConfigured(mount);
        // The raw path needs no token, and a bad one does not hurt: Vault ignores tokens on unauthenticated paths.
        Response withBadToken = DevServer.anonymous().header("X-Vault-Token", "hvs.not-a-real-token")
                .get("/v1/" + mount + "/public_key").andReturn();
        assertThat(withBadToken.statusCode(), is(404));
        assertThat(withBadToken.asString().trim(), is("{\"errors\":[]}"));
        // config/ca itself needs a token.
        Response anonymous = DevServer.anonymous().get("/v1/" + mount + "/config/ca").andReturn();
        assertThat(anonymous.statusCode(), is(403));
    }

    @Test
    void rawPublicKeyIgnoresAnInvalidToken() {
        String mount = DevServer.enableSsh("ca-rawtok");
        String pub = CaFixtures.generateCa(mount, "{\"key_type\":\"ecdsa-sha2-nistp256\"}");
        Response r = DevServer.anonymous().header("X-Vault-Token", "hvs.AAAAAAAAAAAAAAAAAAAAAAAA")
                .get("/v1/" + mount + "/public_key").andReturn();
        assertThat(r.statusCode(), is(200));
        assertThat(r.asString(), is(pub));
    }

    @Test
    void deleteAnswers204AlsoWhenEmptyAndThenSigningFails() {
        String mount = DevServer.enableSsh("ca-delete");
        assertNoContent(DevServer.root().delete("/v1/" + mount + "/config/ca").andReturn());
        CaFixtures.generateCa(mount, "{\"key_type\":\"ed25519\"}");
        signerRole(mount);
        signUserKey(mount);

        assertNoContent(DevServer.root().delete("/v1/" + mount + "/config/ca").andReturn());
        assertNotConfigured(mount);
        assertError(post(mount, "sign/signer", "{\"public_key\":" + quote(user.publicKeyText())
                + ",\"valid_principals\":\"alice\"}"), 400, "failed to read CA private key");
        assertNoContent(DevServer.root().delete("/v1/" + mount + "/config/ca").andReturn());
        // The role survives: deleting the CA leaves the roles alone, as in Vault.
        assertThat(get(mount, "roles/signer").statusCode(), is(200));

        // After a delete the mount can be configured again, with a different key.
        SshKeygen.KeyPair k = key("ecdsa", 256, "PEM");
        assertNoContent(post(mount, "config/ca", importBody(k.publicKeyText(), k.privateKeyText())));
        assertThat(signUserKey(mount).caFingerprint(), is(k.fingerprint().sha256()));
    }

    @Test
    void signingCertificateEmbedsTheCaPublicKeyReadFromConfigCa() {
        // Second opinion with Latchkey's own codec: the certificate's signature key is the CA key.
        String mount = DevServer.enableSsh("ca-embed");
        String pub = CaFixtures.generateCa(mount, "{\"key_type\":\"ecdsa-sha2-nistp384\"}");
        signerRole(mount);
        String signed = signOk(mount, "signer", "{\"public_key\":" + quote(user.publicKeyText())
                + ",\"valid_principals\":\"alice\"}").getString("data.signed_key");
        assertThat(SshCertificate.parse(signed).signatureKey(), is(SshPublicKey.parse(pub.strip())));
        assertThat(signed, not(emptyString()));
    }
}
