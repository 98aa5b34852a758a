package dev.latchkey.engine.ssh.keys;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.DSAParameters;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The type-specific fields of a public key blob (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4),
 * decoded with the checks Go's x/crypto/ssh and OpenSSH apply, so that a key we accept is one
 * they accept too.
 */
final class PublicKeyCodec {
    /** Far below anything in use; smaller moduli are broken or garbage. */
    private static final int RSA_MIN_BITS = 512;
    private static final int ED25519_KEY_BYTES = 32;

    private PublicKeyCodec() {
    }

    /** Decodes a whole blob: type name, fields, nothing after; RSA moduli of at most {@code maxRsaBits}. */
    static SshPublicKey decode(byte[] blob, int maxRsaBits) {
        if (blob.length == 0) {
            throw new SshKeyException("public key blob is empty");
        }
        SshWire.Reader r = SshWire.reader(blob);
        String name = new String(r.string(), StandardCharsets.ISO_8859_1);
        SshPublicKey key = readFields(SshKeyType.bySshName(name), r, maxRsaBits);
        r.expectEnd("public key");
        return key;
    }

    /**
     * Reads the fields that follow the type name, here or inside a certificate. The resulting
     * key's wire form reuses the bytes as read, so fingerprints match what the sender hashed.
     */
    static SshPublicKey readFields(SshKeyType type, SshWire.Reader r, int maxRsaBits) {
        int start = r.position();
        AsymmetricKeyParameter params;
        int bits;
        switch (type) {
            case RSA -> {
                RSAKeyParameters rsa = readRsa(r, maxRsaBits);
                params = rsa;
                bits = rsa.getModulus().bitLength();
            }
            case DSA -> {
                DSAPublicKeyParameters dsa = readDsa(r);
                params = dsa;
                bits = dsa.getParameters().getP().bitLength();
            }
            case ED25519 -> {
                params = readEd25519(r);
                bits = 256;
            }
            default -> {
                params = readEcdsa(type.curve(), r);
                bits = type.curve().bits();
            }
        }
        byte[] wire = SshWire.writer().utf8(type.sshName()).raw(r.consumedSince(start)).toByteArray();
        return new SshPublicKey(type, wire, bits, params);
    }

    /** The canonical blob of a key we hold as Bouncy Castle parameters. */
    static SshPublicKey fromParams(AsymmetricKeyParameter params) {
        SshWire.Writer w = SshWire.writer();
        if (params instanceof RSAKeyParameters rsa) {
            w.utf8(SshKeyType.RSA.sshName()).mpint(rsa.getExponent()).mpint(rsa.getModulus());
        } else if (params instanceof ECPublicKeyParameters ec) {
            NistCurve curve = curveOf(ec);
            SshKeyType type = typeOf(curve);
            w.utf8(type.sshName()).utf8(curve.sshName()).string(ec.getQ().getEncoded(false));
        } else if (params instanceof Ed25519PublicKeyParameters ed) {
            w.utf8(SshKeyType.ED25519.sshName()).string(ed.getEncoded());
        } else if (params instanceof DSAPublicKeyParameters dsa) {
            DSAParameters p = dsa.getParameters();
            w.utf8(SshKeyType.DSA.sshName()).mpint(p.getP()).mpint(p.getQ()).mpint(p.getG())
                    .mpint(dsa.getY());
        } else {
            throw new SshKeyException("unsupported key parameters: " + params.getClass().getSimpleName());
        }
        return decode(w.toByteArray(), RsaKeySizes.CEILING_BITS); // our own key, already sized
    }

    static NistCurve curveOf(ECPublicKeyParameters ec) {
        if (ec.getParameters() instanceof ECNamedDomainParameters named) {
            return NistCurve.byOid(named.getName());
        }
        throw new SshKeyException("elliptic curve keys must use a named curve");
    }

    static SshKeyType typeOf(NistCurve curve) {
        for (SshKeyType t : SshKeyType.values()) {
            if (t.curve() == curve) {
                return t;
            }
        }
        throw new IllegalStateException("no key type for " + curve);
    }

    private static RSAKeyParameters readRsa(SshWire.Reader r, int maxRsaBits) {
        BigInteger e = r.positiveMpint("RSA public exponent");
        // Sized on its encoding, before anything costs: see RsaKeySizes for what a big key costs.
        byte[] modulus = r.string();
        RsaKeySizes.check(RsaKeySizes.encodedBits(modulus), Math.min(maxRsaBits, RsaKeySizes.CEILING_BITS));
        BigInteger n = modulus.length == 0 ? BigInteger.ZERO : new BigInteger(modulus);
        if (n.signum() <= 0) {
            throw new SshKeyException("RSA modulus must be positive");
        }
        // Go's limits: a small odd exponent that fits 24 bits.
        if (e.bitLength() > 24) {
            throw new SshKeyException("RSA public exponent too large");
        }
        if (e.intValue() < 3 || !e.testBit(0)) {
            throw new SshKeyException("RSA public exponent must be odd and at least 3");
        }
        int bits = n.bitLength();
        if (bits < RSA_MIN_BITS) {
            throw new SshKeyException("unsupported RSA modulus size " + bits + " bits");
        }
        if (!n.testBit(0)) {
            throw new SshKeyException("RSA modulus must be odd");
        }
        try {
            // Bouncy Castle's validation (a Miller-Rabin proof that n is composite) runs here.
            return new RSAKeyParameters(false, n, e);
        } catch (IllegalArgumentException ex) {
            throw new SshKeyException("invalid RSA public key");
        }
    }

    private static DSAPublicKeyParameters readDsa(SshWire.Reader r) {
        BigInteger p = r.positiveMpint("DSA p");
        BigInteger q = r.positiveMpint("DSA q");
        BigInteger g = r.positiveMpint("DSA g");
        BigInteger y = r.positiveMpint("DSA y");
        // SSH's DSA is FIPS 186-2: 1024-bit p only (Go rejects anything else, as do we).
        if (p.bitLength() != 1024) {
            throw new SshKeyException("unsupported DSA key size " + p.bitLength());
        }
        try {
            return new DSAPublicKeyParameters(y, new DSAParameters(p, q, g));
        } catch (IllegalArgumentException ex) {
            throw new SshKeyException("invalid DSA public key");
        }
    }

    private static ECPublicKeyParameters readEcdsa(NistCurve curve, SshWire.Reader r) {
        String name = new String(r.string(), StandardCharsets.ISO_8859_1);
        if (!name.equals(curve.sshName())) {
            throw new SshKeyException("ECDSA curve " + SshKeyType.printable(name)
                    + " does not match key type ecdsa-sha2-" + curve.sshName());
        }
        byte[] point = r.string();
        // Uncompressed points only, as OpenSSH and Go require.
        if (point.length != 1 + 2 * curve.fieldBytes() || point[0] != 0x04) {
            throw new SshKeyException("ECDSA public key is not an uncompressed " + curve.sshName() + " point");
        }
        try {
            ECPoint q = curve.domain().getCurve().decodePoint(point);
            return new ECPublicKeyParameters(q, curve.domain());
        } catch (IllegalArgumentException ex) {
            throw new SshKeyException("ECDSA public key is not a point on " + curve.sshName());
        }
    }

    private static Ed25519PublicKeyParameters readEd25519(SshWire.Reader r) {
        byte[] key = r.string();
        if (key.length != ED25519_KEY_BYTES) {
            throw new SshKeyException("Ed25519 public key must be 32 bytes, not " + key.length);
        }
        try {
            return new Ed25519PublicKeyParameters(key);
        } catch (IllegalArgumentException ex) {
            throw new SshKeyException("Ed25519 public key is not a valid curve point");
        }
    }
}
