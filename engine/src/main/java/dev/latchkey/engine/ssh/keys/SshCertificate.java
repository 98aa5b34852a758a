package dev.latchkey.engine.ssh.keys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An OpenSSH certificate (PROTOCOL.certkeys, {@code *-cert-v01@openssh.com}), immutable. Built
 * with {@link SshCertificateBuilder}; parsed with {@link #parse}, which checks the CA
 * signature. The certificate type name follows the subject key, whatever the CA signs with.
 */
public final class SshCertificate {
    /** {@code valid before} of a certificate that never expires: 2^64 - 1. */
    public static final long FOREVER = -1L;

    private final byte[] wire;
    private final byte[] nonce;
    private final SshPublicKey key;
    private final long serial;
    private final SshCertificateType certType;
    private final String keyId;
    private final List<String> principals;
    private final long validAfter;
    private final long validBefore;
    private final Map<String, String> criticalOptions;
    private final Map<String, String> extensions;
    private final SshPublicKey signatureKey;
    private final byte[] signature;

    SshCertificate(byte[] wire, byte[] nonce, SshPublicKey key, long serial, SshCertificateType certType,
            String keyId, List<String> principals, long validAfter, long validBefore,
            Map<String, String> criticalOptions, Map<String, String> extensions,
            SshPublicKey signatureKey, byte[] signature) {
        this.wire = wire;
        this.nonce = nonce;
        this.key = key;
        this.serial = serial;
        this.certType = certType;
        this.keyId = keyId;
        this.principals = principals;
        this.validAfter = validAfter;
        this.validBefore = validBefore;
        this.criticalOptions = criticalOptions;
        this.extensions = extensions;
        this.signatureKey = signatureKey;
        this.signature = signature;
    }

    /**
     * Parses {@code "<cert type> <base64> [comment]"} or the bare base64 and checks the CA
     * signature.
     */
    public static SshCertificate parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new SshKeyException("certificate is empty");
        }
        String[] tokens = text.split(" ", -1);
        SshCertificate cert = fromWire(SshBase64.decode(tokens.length > 1 ? tokens[1] : tokens[0], "certificate"));
        if (tokens.length > 1 && !tokens[0].equals(cert.type())) {
            throw new SshKeyException("certificate type " + SshKeyType.printable(tokens[0])
                    + " does not match the encoded type " + cert.type());
        }
        return cert;
    }

    /** Parses a certificate blob and checks the CA signature. */
    public static SshCertificate fromWire(byte[] blob) {
        if (blob.length == 0) {
            throw new SshKeyException("certificate blob is empty");
        }
        SshWire.Reader r = SshWire.reader(blob);
        SshKeyType keyType = SshKeyType.byCertTypeName(new String(r.string(), StandardCharsets.ISO_8859_1));
        byte[] nonce = r.string();
        SshPublicKey key = PublicKeyCodec.readFields(keyType, r, RsaKeySizes.DEFAULT_MAX_BITS);
        long serial = r.uint64();
        SshCertificateType certType = SshCertificateType.byCode(r.uint32());
        String keyId = r.utf8();
        List<String> principals = readPrincipals(r.string());
        long validAfter = r.uint64();
        long validBefore = r.uint64();
        Map<String, String> critical = CertOptions.decode(r.string(), "critical options");
        Map<String, String> extensions = CertOptions.decode(r.string(), "extensions");
        r.string(); // reserved
        SshPublicKey signatureKey = SshPublicKey.fromWire(r.string());
        byte[] signed = r.consumedSince(0);
        byte[] signature = r.string();
        r.expectEnd("certificate");
        if (!SshSigner.verify(signatureKey, signed, signature)) {
            throw new SshKeyException("certificate signature does not verify");
        }
        return new SshCertificate(blob.clone(), nonce, key, serial, certType, keyId, principals,
                validAfter, validBefore, critical, extensions, signatureKey, signature);
    }

    private static List<String> readPrincipals(byte[] packed) {
        List<String> out = new ArrayList<>();
        SshWire.Reader r = SshWire.reader(packed);
        while (r.hasRemaining()) {
            out.add(r.utf8());
        }
        return Collections.unmodifiableList(out);
    }

    /** The certificate type name, e.g. {@code ssh-ed25519-cert-v01@openssh.com}. */
    public String type() {
        return key.keyType().certTypeName();
    }

    public byte[] wire() {
        return wire.clone();
    }

    /** {@code "<cert type> <base64>\n"}: Vault's {@code signed_key}. */
    public String toLine() {
        return type() + " " + Base64.getEncoder().encodeToString(wire) + "\n";
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    /** The certified (subject) public key. */
    public SshPublicKey key() {
        return key;
    }

    /** Unsigned 64-bit serial. */
    public long serial() {
        return serial;
    }

    /** Vault's {@code serial_number}: lowercase hex, no leading zeros. */
    public String serialHex() {
        return Long.toHexString(serial);
    }

    public SshCertificateType certType() {
        return certType;
    }

    public String keyId() {
        return keyId;
    }

    public List<String> principals() {
        return principals;
    }

    /** Unix seconds, unsigned. */
    public long validAfter() {
        return validAfter;
    }

    /** Unix seconds, unsigned; {@link #FOREVER} for no expiry. */
    public long validBefore() {
        return validBefore;
    }

    /** In wire (sorted) order. */
    public Map<String, String> criticalOptions() {
        return criticalOptions;
    }

    /** In wire (sorted) order. */
    public Map<String, String> extensions() {
        return extensions;
    }

    /** The CA public key. */
    public SshPublicKey signatureKey() {
        return signatureKey;
    }

    /** The algorithm named in the signature, e.g. {@code rsa-sha2-256}. */
    public String signatureAlgorithm() {
        return new String(SshWire.reader(signature).string(), StandardCharsets.ISO_8859_1);
    }

    /** The signature blob ({@code string algorithm, string signature}). */
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return type() + " serial " + Long.toUnsignedString(serial) + " signed by " + signatureKey;
    }
}
