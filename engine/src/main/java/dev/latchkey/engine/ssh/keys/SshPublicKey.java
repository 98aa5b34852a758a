package dev.latchkey.engine.ssh.keys;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** An SSH public key (never a certificate), immutable and held in its wire encoding. */
public final class SshPublicKey {
    private final SshKeyType type;
    private final byte[] wire;
    private final int bits;
    private final AsymmetricKeyParameter params;

    SshPublicKey(SshKeyType type, byte[] wire, int bits, AsymmetricKeyParameter params) {
        this.type = type;
        this.wire = wire;
        this.bits = bits;
        this.params = params;
    }

    /**
     * Parses {@code "<type> <base64> [comment]"} or the bare base64, by Vault's rule: split on
     * single spaces and, when there is more than one token, decode the second. Unlike Vault, a
     * type token that disagrees with the blob is refused, and so is an RSA key above
     * {@link RsaKeySizes#DEFAULT_MAX_BITS}.
     */
    public static SshPublicKey parse(String text) {
        return parse(text, RsaKeySizes.DEFAULT_MAX_BITS);
    }

    /**
     * {@link #parse(String)} with RSA keys of up to {@code maxRsaBits} (at most
     * {@link RsaKeySizes#CEILING_BITS}); a larger one fails with
     * {@link RsaKeySizes.KeyTooLargeException} before any arithmetic on it.
     */
    public static SshPublicKey parse(String text, int maxRsaBits) {
        if (text == null || text.isEmpty()) {
            throw new SshKeyException("public key is empty");
        }
        String[] tokens = text.split(" ", -1);
        String encoded = tokens.length > 1 ? tokens[1] : tokens[0];
        SshPublicKey key = fromWire(SshBase64.decode(encoded, "public key"), maxRsaBits);
        if (tokens.length > 1 && !tokens[0].equals(key.type())) {
            throw new SshKeyException("key type " + SshKeyType.printable(tokens[0])
                    + " does not match the encoded key type " + key.type());
        }
        return key;
    }

    /** Parses a public key blob (RFC 4253 §6.6), RSA up to {@link RsaKeySizes#DEFAULT_MAX_BITS}. */
    public static SshPublicKey fromWire(byte[] blob) {
        return fromWire(blob, RsaKeySizes.DEFAULT_MAX_BITS);
    }

    /** Parses a public key blob with RSA keys of up to {@code maxRsaBits}, as {@link #parse(String, int)}. */
    public static SshPublicKey fromWire(byte[] blob, int maxRsaBits) {
        return PublicKeyCodec.decode(blob, maxRsaBits);
    }

    /** The SSH algorithm name, e.g. {@code ssh-rsa}. */
    public String type() {
        return type.sshName();
    }

    public SshKeyType keyType() {
        return type;
    }

    /** The wire encoding: the bytes whose base64 appears in an authorized_keys line. */
    public byte[] wire() {
        return wire.clone();
    }

    /** {@code "<type> <base64>"} without comment or newline. */
    public String toLine() {
        return type() + " " + Base64.getEncoder().encodeToString(wire);
    }

    /** As {@code ssh-keygen -l} prints it: {@code SHA256:} and unpadded base64. */
    public String sha256Fingerprint() {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(wire));
    }

    /** Lowercase hex SHA-256 of the wire encoding: Vault's {@code {{public_key_hash}}}. */
    public String publicKeyHash() {
        return HexFormat.of().formatHex(sha256(wire));
    }

    /** {@code rsa}, {@code dsa}, {@code ecdsa} or {@code ed25519}: the classes {@code allowed_user_key_lengths} names. */
    public String keyClass() {
        return type.keyClass();
    }

    /** RSA modulus bits, DSA p bits, the ECDSA curve size, or 256 for Ed25519. */
    public int bits() {
        return bits;
    }

    /** The wire encoding without the leading type name: what a certificate embeds. */
    byte[] fields() {
        int typeLength = 4 + type().length();
        return Arrays.copyOfRange(wire, typeLength, wire.length);
    }

    AsymmetricKeyParameter params() {
        return params;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshPublicKey other && Arrays.equals(wire, other.wire);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(wire);
    }

    @Override
    public String toString() {
        return type() + " " + sha256Fingerprint();
    }
}
