package dev.latchkey.api.ssh.openssh;

import dev.latchkey.api.testing.DevServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The Latchkey HTTP calls of the OpenSSH tests (roles, config/ca, public_key, sign, issue): real HTTP
 * to the dev server, failing on any non-success answer.
 */
final class LatchkeyCa {
    private LatchkeyCa() {
    }

    /** The CA key kinds {@code config/ca} generates, with what {@code ssh-keygen -l} and sshd's log call them. */
    enum CaKind {
        ED25519("{\"key_type\":\"ssh-ed25519\"}", "ssh-ed25519", "ED25519", 256, "ed25519", "ssh-ed25519"),
        RSA_4096("{\"key_type\":\"ssh-rsa\",\"key_bits\":4096}", "ssh-rsa", "RSA", 4096, "rsa", "rsa-sha2-256"),
        ECDSA_P256("{\"key_type\":\"ecdsa-sha2-nistp256\"}", "ecdsa-sha2-nistp256", "ECDSA", 256, "ecdsa",
                "ecdsa-sha2-nistp256");

        final String configBody;
        /** The key's SSH name, the first word of its public key line. */
        final String sshName;
        /** The type OpenSSH prints in fingerprints and logs ({@code ED25519}, {@code RSA}, {@code ECDSA}). */
        final String label;
        final int bits;
        /** The ssh-keygen {@code -t} of the same family. */
        final String keygenType;
        /** The signature algorithm of the default {@code algorithm_signer} (SHA-256 for RSA). */
        final String signatureAlgorithm;

        CaKind(String configBody, String sshName, String label, int bits, String keygenType, String signatureAlgorithm) {
            this.configBody = configBody;
            this.sshName = sshName;
            this.label = label;
            this.bits = bits;
            this.keygenType = keygenType;
            this.signatureAlgorithm = signatureAlgorithm;
        }
    }

    /** A fresh mount with a generated CA of {@code kind}; returns the mount path. */
    static String mountWithCa(String hint, CaKind kind) {
        return mountWithCa(hint, kind.configBody);
    }

    /** A fresh mount whose CA is generated with the raw {@code config/ca} body; returns the mount path. */
    static String mountWithCa(String hint, String configBody) {
        String mount = DevServer.enableSsh(hint);
        Response r = DevServer.root().contentType("application/json").body(configBody)
                .post("/v1/" + mount + "/config/ca").andReturn();
        expect(r, 200, "config/ca on " + mount);
        return mount;
    }

    /** {@code public_key}: the unauthenticated raw public key, exactly as served. */
    static String publicKey(String mount) {
        Response r = DevServer.anonymous().get("/v1/" + mount + "/public_key").andReturn();
        expect(r, 200, "public_key of " + mount);
        return r.asString();
    }

    /** {@code config/ca} read: the authenticated read {@code vault ssh -host-key-mount-point} uses. */
    static String configCaPublicKey(String mount) {
        Response r = DevServer.root().get("/v1/" + mount + "/config/ca").andReturn();
        expect(r, 200, "config/ca read of " + mount);
        return r.jsonPath().getString("data.public_key");
    }

    /** {@code sign/:role} with a raw JSON body; the whole answer. */
    static JsonPath sign(String mount, String role, String json) {
        Response r = DevServer.root().contentType("application/json").body(json)
                .post("/v1/" + mount + "/sign/" + role).andReturn();
        expect(r, 200, "sign/" + role + " on " + mount);
        return r.jsonPath();
    }

    /** {@code issue/:role} with a raw JSON body; the whole answer. */
    static JsonPath issue(String mount, String role, String json) {
        Response r = DevServer.root().contentType("application/json").body(json)
                .post("/v1/" + mount + "/issue/" + role).andReturn();
        expect(r, 200, "issue/" + role + " on " + mount);
        return r.jsonPath();
    }

    /** The decimal serial OpenSSH prints for Vault's lowercase hex {@code serial_number}. */
    static String decimalSerial(String hex) {
        return Long.toUnsignedString(Long.parseUnsignedLong(hex, 16));
    }

    private static void expect(Response r, int status, String what) {
        if (r.statusCode() != status) {
            throw new AssertionError(what + " answered " + r.statusCode() + " " + r.asString());
        }
    }
}
