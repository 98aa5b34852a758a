package dev.latchkey.engine.ssh.keys;

import dev.latchkey.engine.random.Randomness;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.DSASigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.RSADigestSigner;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Creates and checks SSH signature blobs ({@code string algorithm, string signature}) with
 * Bouncy Castle's lightweight API, which is several times faster than the JDK for ECDSA and
 * Ed25519. Every call builds its own signer objects, so this class is thread-safe.
 */
public final class SshSigner {
    private static final int DSA_HALF = 20;
    private static final int ED25519_SIGNATURE = 64;

    private SshSigner() {
    }

    /**
     * The algorithm for a role's {@code algorithm_signer}: {@code default} is
     * {@code rsa-sha2-256} for RSA keys; empty (or null) is the Go library default, SHA-1
     * {@code ssh-rsa} for RSA keys; either is the key's own algorithm otherwise. Any other
     * value is returned as named and checked when signing.
     */
    public static String defaultAlgorithm(SshPrivateKey key, String algorithmSigner) {
        return defaultAlgorithm(key.publicKey(), algorithmSigner);
    }

    public static String defaultAlgorithm(SshPublicKey key, String algorithmSigner) {
        boolean rsa = key.keyType() == SshKeyType.RSA;
        if ("default".equals(algorithmSigner)) {
            return rsa ? SshSignatureAlgorithm.RSA_SHA2_256.sshName() : key.type();
        }
        if (algorithmSigner == null || algorithmSigner.isEmpty()) {
            return rsa ? SshSignatureAlgorithm.SSH_RSA.sshName() : key.type();
        }
        return algorithmSigner;
    }

    public static byte[] sign(SshPrivateKey key, String algorithm, byte[] data) {
        return sign(key, SshSignatureAlgorithm.bySshName(algorithm), data);
    }

    /**
     * Signs {@code data} and returns the SSH signature blob.
     *
     * @throws SshKeyException when the algorithm does not fit the key
     */
    public static byte[] sign(SshPrivateKey key, SshSignatureAlgorithm algorithm, byte[] data) {
        if (!algorithm.fits(key.keyType())) {
            throw new SshKeyException("signature algorithm " + algorithm.sshName()
                    + " cannot be used with a " + key.type() + " key");
        }
        byte[] signature = switch (algorithm) {
            case SSH_RSA, RSA_SHA2_256, RSA_SHA2_512 -> signRsa(key, algorithm, data);
            case ECDSA_P256, ECDSA_P384, ECDSA_P521 -> signEcdsa(key, algorithm, data);
            case ED25519 -> signEd25519(key, data);
            case SSH_DSS -> throw new SshKeyException("DSA signing is not supported");
        };
        return SshWire.writer().utf8(algorithm.sshName()).string(signature).toByteArray();
    }

    /**
     * Checks a signature blob. A wrong signature, or an algorithm that does not fit the key,
     * gives false; a blob that is not even well-formed throws {@link SshKeyException}.
     */
    public static boolean verify(SshPublicKey key, byte[] data, byte[] signatureBlob) {
        SshWire.Reader r = SshWire.reader(signatureBlob);
        String name = new String(r.string(), StandardCharsets.ISO_8859_1);
        byte[] signature = r.string();
        r.expectEnd("signature");
        SshSignatureAlgorithm algorithm;
        try {
            algorithm = SshSignatureAlgorithm.bySshName(name);
        } catch (SshKeyException unknown) {
            return false;
        }
        if (!algorithm.fits(key.keyType())) {
            return false;
        }
        return switch (algorithm) {
            case SSH_RSA, RSA_SHA2_256, RSA_SHA2_512 -> verifyRsa(key, algorithm, data, signature);
            case ECDSA_P256, ECDSA_P384, ECDSA_P521 -> verifyEcdsa(key, algorithm, data, signature);
            case ED25519 -> verifyEd25519(key, data, signature);
            case SSH_DSS -> verifyDsa(key, data, signature);
        };
    }

    private static byte[] signRsa(SshPrivateKey key, SshSignatureAlgorithm algorithm, byte[] data) {
        RSADigestSigner signer = new RSADigestSigner(algorithm.newDigest());
        signer.init(true, new ParametersWithRandom(key.params(), Randomness.current()));
        signer.update(data, 0, data.length);
        try {
            // Bouncy Castle pads the result to the modulus length, as RFC 8332 requires.
            return signer.generateSignature();
        } catch (CryptoException e) {
            throw new SshKeyException("RSA signing failed", e);
        }
    }

    private static boolean verifyRsa(SshPublicKey key, SshSignatureAlgorithm algorithm, byte[] data,
            byte[] signature) {
        if (signature.length > (key.bits() + 7) / 8) {
            return false;
        }
        RSADigestSigner verifier = new RSADigestSigner(algorithm.newDigest());
        verifier.init(false, key.params());
        verifier.update(data, 0, data.length);
        try {
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Deterministic nonces (RFC 6979): no dependence on the quality of the RNG at signing. */
    private static byte[] signEcdsa(SshPrivateKey key, SshSignatureAlgorithm algorithm, byte[] data) {
        Digest digest = algorithm.newDigest();
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(algorithm.newDigest()));
        signer.init(true, key.params());
        BigInteger[] rs = signer.generateSignature(hash(digest, data));
        return SshWire.writer().mpint(rs[0]).mpint(rs[1]).toByteArray();
    }

    private static boolean verifyEcdsa(SshPublicKey key, SshSignatureAlgorithm algorithm, byte[] data,
            byte[] signature) {
        SshWire.Reader r = SshWire.reader(signature);
        BigInteger sigR = r.mpint();
        BigInteger sigS = r.mpint();
        r.expectEnd("ECDSA signature");
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key.params());
        return verifier.verifySignature(hash(algorithm.newDigest(), data), sigR, sigS);
    }

    private static byte[] signEd25519(SshPrivateKey key, byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key.params());
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    private static boolean verifyEd25519(SshPublicKey key, byte[] data, byte[] signature) {
        if (signature.length != ED25519_SIGNATURE) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key.params());
        verifier.update(data, 0, data.length);
        return verifier.verifySignature(signature);
    }

    /** RFC 4253 §6.6: r and s as two 160-bit unsigned integers, concatenated. */
    private static boolean verifyDsa(SshPublicKey key, byte[] data, byte[] signature) {
        if (signature.length != 2 * DSA_HALF) {
            return false;
        }
        DSASigner verifier = new DSASigner();
        verifier.init(false, key.params());
        return verifier.verifySignature(hash(SshSignatureAlgorithm.SSH_DSS.newDigest(), data),
                new BigInteger(1, Arrays.copyOfRange(signature, 0, DSA_HALF)),
                new BigInteger(1, Arrays.copyOfRange(signature, DSA_HALF, 2 * DSA_HALF)));
    }

    private static byte[] hash(Digest digest, byte[] data) {
        digest.update(data, 0, data.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }
}
