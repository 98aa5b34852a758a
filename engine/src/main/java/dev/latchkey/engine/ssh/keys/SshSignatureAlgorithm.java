package dev.latchkey.engine.ssh.keys;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

import java.util.Arrays;

/** SSH signature algorithms (RFC 4253 §6.6, RFC 8332, RFC 5656, RFC 8709) and the keys they fit. */
public enum SshSignatureAlgorithm {
    SSH_RSA("ssh-rsa", SshKeyType.RSA),
    RSA_SHA2_256("rsa-sha2-256", SshKeyType.RSA),
    RSA_SHA2_512("rsa-sha2-512", SshKeyType.RSA),
    ECDSA_P256("ecdsa-sha2-nistp256", SshKeyType.ECDSA_P256),
    ECDSA_P384("ecdsa-sha2-nistp384", SshKeyType.ECDSA_P384),
    ECDSA_P521("ecdsa-sha2-nistp521", SshKeyType.ECDSA_P521),
    ED25519("ssh-ed25519", SshKeyType.ED25519),
    /** Verification only: we never hold DSA private keys. */
    SSH_DSS("ssh-dss", SshKeyType.DSA);

    private final String sshName;
    private final SshKeyType keyType;

    SshSignatureAlgorithm(String sshName, SshKeyType keyType) {
        this.sshName = sshName;
        this.keyType = keyType;
    }

    public String sshName() {
        return sshName;
    }

    /** The only key type this algorithm signs with. */
    public SshKeyType keyType() {
        return keyType;
    }

    public boolean fits(SshKeyType type) {
        return keyType == type;
    }

    /** @throws SshKeyException naming the algorithm when it is unknown */
    public static SshSignatureAlgorithm bySshName(String name) {
        return Arrays.stream(values()).filter(a -> a.sshName.equals(name)).findFirst().orElseThrow(
                () -> new SshKeyException("unknown signature algorithm: " + SshKeyType.printable(String.valueOf(name))));
    }

    /** The hash for RSA and DSA; ECDSA's follows the curve and Ed25519 hashes internally. */
    Digest newDigest() {
        return switch (this) {
            case RSA_SHA2_256 -> new SHA256Digest();
            case RSA_SHA2_512 -> new SHA512Digest();
            case SSH_RSA, SSH_DSS -> new SHA1Digest();
            case ECDSA_P256, ECDSA_P384, ECDSA_P521 -> keyType.curve().newDigest();
            case ED25519 -> throw new IllegalStateException("Ed25519 has no separate digest");
        };
    }
}
