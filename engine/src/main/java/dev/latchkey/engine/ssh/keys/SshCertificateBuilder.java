package dev.latchkey.engine.ssh.keys;

import dev.latchkey.engine.random.Randomness;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assembles and signs a certificate. Defaults: a fresh 32-byte nonce, serial 0, a user
 * certificate, empty key ID, no principals, valid from 0 to {@link SshCertificate#FOREVER},
 * no options or extensions. Principals are kept in the order given (Vault sorts them first).
 * Not thread-safe; the resulting certificate is.
 */
public final class SshCertificateBuilder {
    private static final int NONCE_BYTES = 32;

    private final SshPublicKey key;
    private byte[] nonce;
    private long serial;
    private SshCertificateType certType = SshCertificateType.USER;
    private String keyId = "";
    private List<String> principals = List.of();
    private long validAfter;
    private long validBefore = SshCertificate.FOREVER;
    private Map<String, String> criticalOptions = Map.of();
    private Map<String, String> extensions = Map.of();

    public SshCertificateBuilder(SshPublicKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public SshCertificateBuilder nonce(byte[] nonce) {
        this.nonce = nonce.clone();
        return this;
    }

    public SshCertificateBuilder serial(long serial) {
        this.serial = serial;
        return this;
    }

    public SshCertificateBuilder certType(SshCertificateType certType) {
        this.certType = Objects.requireNonNull(certType, "certType");
        return this;
    }

    public SshCertificateBuilder keyId(String keyId) {
        this.keyId = keyId == null ? "" : keyId;
        return this;
    }

    public SshCertificateBuilder principals(List<String> principals) {
        this.principals = principals == null ? List.of() : List.copyOf(principals);
        return this;
    }

    public SshCertificateBuilder validAfter(long unixSeconds) {
        this.validAfter = unixSeconds;
        return this;
    }

    public SshCertificateBuilder validBefore(long unixSeconds) {
        this.validBefore = unixSeconds;
        return this;
    }

    public SshCertificateBuilder criticalOptions(Map<String, String> options) {
        this.criticalOptions = options == null ? Map.of() : Map.copyOf(options);
        return this;
    }

    public SshCertificateBuilder extensions(Map<String, String> extensions) {
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
        return this;
    }

    public SshCertificate sign(SshPrivateKey ca, String algorithm) {
        return sign(ca, SshSignatureAlgorithm.bySshName(algorithm));
    }

    /**
     * Signs everything up to and including the CA public key.
     *
     * @throws SshKeyException when the algorithm does not fit the CA key
     */
    public SshCertificate sign(SshPrivateKey ca, SshSignatureAlgorithm algorithm) {
        byte[] n = nonce != null ? nonce : Randomness.bytes(NONCE_BYTES);
        Map<String, String> critical = CertOptions.sorted(criticalOptions);
        Map<String, String> ext = CertOptions.sorted(extensions);
        SshPublicKey caKey = ca.publicKey();
        byte[] body = body(n, critical, ext, caKey);
        byte[] signature = SshSigner.sign(ca, algorithm, body);
        byte[] wire = SshWire.writer().raw(body).string(signature).toByteArray();
        return new SshCertificate(wire, n, key, serial, certType, keyId, principals, validAfter,
                validBefore, critical, ext, caKey, signature);
    }

    /** The bytes the CA signs: every field up to and including the CA public key. */
    public byte[] encodeBody(SshPublicKey caKey) {
        return body(nonce != null ? nonce : Randomness.bytes(NONCE_BYTES), CertOptions.sorted(criticalOptions),
                CertOptions.sorted(extensions), caKey);
    }

    private byte[] body(byte[] n, Map<String, String> critical, Map<String, String> ext, SshPublicKey caKey) {
        SshWire.Writer packed = SshWire.writer();
        principals.forEach(packed::utf8);
        return SshWire.writer()
                .utf8(key.keyType().certTypeName())
                .string(n)
                .raw(key.fields())
                .uint64(serial)
                .uint32(certType.code())
                .utf8(keyId)
                .string(packed.toByteArray())
                .uint64(validAfter)
                .uint64(validBefore)
                .string(CertOptions.encode(critical))
                .string(CertOptions.encode(ext))
                .string(new byte[0])
                .string(caKey.wire())
                .toByteArray();
    }
}
