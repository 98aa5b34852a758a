package dev.latchkey.engine.ssh.keys;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import java.math.BigInteger;

/**
 * An RSA, ECDSA (P-256/384/521) or Ed25519 private key with its public half. Immutable and
 * safe to share between threads; {@link #toString()} never shows key material.
 */
public final class SshPrivateKey {
    private static final BigInteger ONE = BigInteger.ONE;

    private final AsymmetricKeyParameter params;
    private final SshPublicKey publicKey;

    private SshPrivateKey(AsymmetricKeyParameter params, AsymmetricKeyParameter publicParams) {
        this.params = params;
        this.publicKey = PublicKeyCodec.fromParams(publicParams);
    }

    /**
     * Parses the first PEM block of {@code pem}: {@code RSA PRIVATE KEY} (PKCS#1),
     * {@code EC PRIVATE KEY} (SEC1), {@code PRIVATE KEY} (PKCS#8) or
     * {@code OPENSSH PRIVATE KEY}. Encrypted keys are refused, and so are RSA keys above
     * {@link RsaKeySizes#DEFAULT_MAX_BITS}.
     */
    public static SshPrivateKey parse(String pem) {
        return parse(pem, RsaKeySizes.DEFAULT_MAX_BITS);
    }

    /**
     * {@link #parse(String)} with RSA keys of up to {@code maxRsaBits}; a larger one fails with
     * {@link RsaKeySizes.KeyTooLargeException} before any arithmetic on it.
     */
    public static SshPrivateKey parse(String pem, int maxRsaBits) {
        if (pem == null || pem.isBlank()) {
            throw new SshKeyException("private key is empty");
        }
        PemBlock block = PemBlock.decode(pem);
        if (block.legacyEncrypted()) {
            throw encrypted();
        }
        return switch (block.type()) {
            case "RSA PRIVATE KEY" -> Asn1KeyFormats.parsePkcs1(block.bytes(), maxRsaBits);
            case "EC PRIVATE KEY" -> Asn1KeyFormats.parseSec1(block.bytes());
            case "PRIVATE KEY" -> Asn1KeyFormats.parsePkcs8(block.bytes(), maxRsaBits);
            case "OPENSSH PRIVATE KEY" -> OpenSshKeyFormat.parse(block.bytes(), maxRsaBits);
            case "ENCRYPTED PRIVATE KEY" -> throw encrypted();
            default -> throw new SshKeyException("unsupported PEM block type: "
                    + SshKeyType.printable(block.type()));
        };
    }

    static SshKeyException encrypted() {
        return new SshKeyException("encrypted private keys are not supported");
    }

    /**
     * An RSA key from its CRT components; {@code dp} and {@code dq} are derived. The size is
     * checked first: the consistency checks and Bouncy Castle's validation of the modulus (see
     * {@link RsaKeySizes}) cost in proportion to it.
     */
    static SshPrivateKey rsa(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q,
            BigInteger qInv, int maxRsaBits) {
        RsaKeySizes.check(n.bitLength(), Math.min(maxRsaBits, RsaKeySizes.CEILING_BITS));
        if (p.compareTo(ONE) <= 0 || q.compareTo(ONE) <= 0 || d.signum() <= 0 || e.signum() <= 0
                || !p.multiply(q).equals(n)
                || !e.multiply(d).mod(p.subtract(ONE)).equals(ONE)
                || !e.multiply(d).mod(q.subtract(ONE)).equals(ONE)
                || !q.multiply(qInv).mod(p).equals(ONE)) {
            throw new SshKeyException("RSA private key is inconsistent");
        }
        BigInteger dp = d.mod(p.subtract(ONE));
        BigInteger dq = d.mod(q.subtract(ONE));
        try {
            return new SshPrivateKey(new RSAPrivateCrtKeyParameters(n, e, d, p, q, dp, dq, qInv),
                    new RSAKeyParameters(false, n, e));
        } catch (IllegalArgumentException ex) {
            throw new SshKeyException("invalid RSA private key");
        }
    }

    /** An ECDSA key from its scalar; the public point is computed, never trusted from input. */
    static SshPrivateKey ec(NistCurve curve, BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(curve.domain().getN()) >= 0) {
            throw new SshKeyException("ECDSA private scalar is out of range");
        }
        ECPublicKeyParameters pub = new ECPublicKeyParameters(
                new FixedPointCombMultiplier().multiply(curve.domain().getG(), d).normalize(),
                curve.domain());
        return new SshPrivateKey(new ECPrivateKeyParameters(d, curve.domain()), pub);
    }

    /** An Ed25519 key from its 32-byte seed (RFC 8032's private key). */
    static SshPrivateKey ed25519(byte[] seed) {
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new SshKeyException("Ed25519 private key must be 32 bytes, not " + seed.length);
        }
        Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(seed);
        return new SshPrivateKey(priv, priv.generatePublicKey());
    }

    public SshPublicKey publicKey() {
        return publicKey;
    }

    /** The SSH algorithm name of the key, e.g. {@code ecdsa-sha2-nistp384}. */
    public String type() {
        return publicKey.type();
    }

    public SshKeyType keyType() {
        return publicKey.keyType();
    }

    /**
     * PEM in the format Vault generates for {@code config/ca}: PKCS#1 for RSA, SEC1 for ECDSA,
     * OpenSSH for Ed25519 (the container OpenSSH and Go read; Vault switched to it before
     * 1.10 shipped); 64-character lines and a trailing newline.
     */
    public String toPem() {
        return switch (keyType()) {
            case RSA -> PemBlock.encode("RSA PRIVATE KEY", Asn1KeyFormats.pkcs1(this));
            case ED25519 -> toOpenSshPem();
            default -> PemBlock.encode("EC PRIVATE KEY", Asn1KeyFormats.sec1(this));
        };
    }

    /** Unencrypted {@code OPENSSH PRIVATE KEY} with an empty comment, for any key type. */
    public String toOpenSshPem() {
        return PemBlock.encode("OPENSSH PRIVATE KEY", OpenSshKeyFormat.encode(this));
    }

    AsymmetricKeyParameter params() {
        return params;
    }

    @Override
    public String toString() {
        return "SshPrivateKey[" + publicKey + "]";
    }
}
