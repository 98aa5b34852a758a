package dev.latchkey.engine.ssh.keys;

import dev.latchkey.engine.random.Randomness;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * OpenSSH's own private-key container ({@code openssh-key-v1}, PROTOCOL.key), unencrypted only.
 * Layout: magic, cipher name, KDF name, KDF options, key count (1), public key blob, and a
 * private section of two equal check-ints, the key, its comment and padding 1, 2, 3, ... up to
 * the cipher block size (8 for {@code none}).
 */
final class OpenSshKeyFormat {
    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final String NONE = "none";
    private static final int BLOCK = 8;

    private OpenSshKeyFormat() {
    }

    static SshPrivateKey parse(byte[] data, int maxRsaBits) {
        if (data.length < MAGIC.length || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new SshKeyException("not an openssh-key-v1 private key");
        }
        SshWire.Reader r = SshWire.reader(Arrays.copyOfRange(data, MAGIC.length, data.length));
        String cipher = ascii(r.string());
        String kdf = ascii(r.string());
        r.string(); // KDF options: empty for "none"
        if (!NONE.equals(cipher) || !NONE.equals(kdf)) {
            throw SshPrivateKey.encrypted();
        }
        if (r.uint32() != 1) {
            throw new SshKeyException("OpenSSH private key files must hold exactly one key");
        }
        byte[] publicBlob = r.string();
        byte[] privateSection = r.string();
        r.expectEnd("OpenSSH private key");
        SshPrivateKey key = parsePrivateSection(privateSection, maxRsaBits);
        if (!Arrays.equals(publicBlob, key.publicKey().wire())) {
            throw new SshKeyException("OpenSSH private key does not match its public key");
        }
        return key;
    }

    private static SshPrivateKey parsePrivateSection(byte[] section, int maxRsaBits) {
        if (section.length % BLOCK != 0) {
            throw new SshKeyException("OpenSSH private section is not padded to the block size");
        }
        SshWire.Reader r = SshWire.reader(section);
        // Unequal check-ints mean a wrong passphrase for encrypted keys, corruption otherwise.
        if (r.uint32() != r.uint32()) {
            throw new SshKeyException("OpenSSH private key check-ints do not match");
        }
        SshKeyType type = SshKeyType.bySshName(ascii(r.string()));
        SshPrivateKey key = switch (type) {
            case RSA -> {
                BigInteger n = r.positiveMpint("RSA modulus");
                BigInteger e = r.positiveMpint("RSA public exponent");
                BigInteger d = r.positiveMpint("RSA private exponent");
                BigInteger qInv = r.positiveMpint("RSA coefficient");
                BigInteger p = r.positiveMpint("RSA prime p");
                BigInteger q = r.positiveMpint("RSA prime q");
                yield SshPrivateKey.rsa(n, e, d, p, q, qInv, maxRsaBits);
            }
            case ED25519 -> {
                byte[] pub = r.string();
                byte[] secret = r.string();
                // The secret is seed || public key, as in RFC 8032 implementations.
                if (secret.length != 64 || pub.length != 32
                        || !Arrays.equals(secret, 32, 64, pub, 0, 32)) {
                    throw new SshKeyException("malformed Ed25519 private key");
                }
                yield SshPrivateKey.ed25519(Arrays.copyOf(secret, 32));
            }
            case DSA -> throw new SshKeyException("DSA private keys are not supported");
            default -> {
                NistCurve curve = type.curve();
                if (!curve.sshName().equals(ascii(r.string()))) {
                    throw new SshKeyException("ECDSA private key curve does not match its type");
                }
                byte[] point = r.string();
                SshPrivateKey k = SshPrivateKey.ec(curve, r.positiveMpint("ECDSA private scalar"));
                if (!Arrays.equals(point, ((ECPublicKeyParameters) k.publicKey().params()).getQ().getEncoded(false))) {
                    throw new SshKeyException("ECDSA private key does not match its public point");
                }
                yield k;
            }
        };
        r.string(); // comment
        for (int i = 1; r.hasRemaining(); i++) {
            if (i >= BLOCK || r.uint8() != i) {
                throw new SshKeyException("OpenSSH private key padding is malformed");
            }
        }
        return key;
    }

    static byte[] encode(SshPrivateKey key) {
        int check = Randomness.current().nextInt();
        SshWire.Writer w = SshWire.writer().uint32(check & 0xFFFFFFFFL).uint32(check & 0xFFFFFFFFL)
                .utf8(key.type());
        switch (key.keyType()) {
            case RSA -> {
                RSAPrivateCrtKeyParameters k = (RSAPrivateCrtKeyParameters) key.params();
                w.mpint(k.getModulus()).mpint(k.getPublicExponent()).mpint(k.getExponent())
                        .mpint(k.getQInv()).mpint(k.getP()).mpint(k.getQ());
            }
            case ED25519 -> {
                Ed25519PrivateKeyParameters k = (Ed25519PrivateKeyParameters) key.params();
                byte[] pub = k.generatePublicKey().getEncoded();
                byte[] secret = Arrays.copyOf(k.getEncoded(), 64);
                System.arraycopy(pub, 0, secret, 32, 32);
                w.string(pub).string(secret);
                Arrays.fill(secret, (byte) 0);
            }
            default -> {
                ECPrivateKeyParameters k = (ECPrivateKeyParameters) key.params();
                byte[] point = ((ECPublicKeyParameters) key.publicKey().params()).getQ().getEncoded(false);
                w.utf8(key.keyType().curve().sshName()).string(point).mpint(k.getD());
            }
        }
        w.string(new byte[0]); // comment
        int length = w.toByteArray().length;
        for (int i = 1; (length + i - 1) % BLOCK != 0; i++) {
            w.raw(new byte[] {(byte) i});
        }
        return SshWire.writer().raw(MAGIC).utf8(NONE).utf8(NONE).string(new byte[0]).uint32(1)
                .string(key.publicKey().wire()).string(w.toByteArray()).toByteArray();
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
