package dev.latchkey.engine.ssh.keys;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

import java.io.IOException;
import java.math.BigInteger;

/**
 * The DER private-key structures: PKCS#1 {@code RSAPrivateKey} (RFC 8017 A.1.2), SEC1
 * {@code ECPrivateKey} (RFC 5915) and PKCS#8 {@code PrivateKeyInfo} (RFC 5208) holding RSA,
 * EC or Ed25519 (RFC 8410). Bouncy Castle does the ASN.1; we pick the fields.
 */
final class Asn1KeyFormats {
    private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

    private Asn1KeyFormats() {
    }

    static SshPrivateKey parsePkcs1(byte[] der, int maxRsaBits) {
        RSAPrivateKey k = asn1("PKCS#1 RSA private key", () -> RSAPrivateKey.getInstance(der));
        return SshPrivateKey.rsa(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrime1(), k.getPrime2(), k.getCoefficient(), maxRsaBits);
    }

    static SshPrivateKey parseSec1(byte[] der) {
        return sec1(der, null);
    }

    static SshPrivateKey parsePkcs8(byte[] der, int maxRsaBits) {
        PrivateKeyInfo info = asn1("PKCS#8 private key", () -> PrivateKeyInfo.getInstance(der));
        ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return parsePkcs1(asn1("PKCS#8 RSA key", () -> info.parsePrivateKey().toASN1Primitive()
                    .getEncoded(ASN1Encoding.DER)), maxRsaBits);
        }
        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            NistCurve curve = namedCurve(info.getPrivateKeyAlgorithm().getParameters());
            return sec1(asn1("PKCS#8 EC key", () -> info.parsePrivateKey().toASN1Primitive()
                    .getEncoded(ASN1Encoding.DER)), curve);
        }
        if (alg.equals(ED25519)) {
            byte[] seed = asn1("PKCS#8 Ed25519 key",
                    () -> ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets());
            return SshPrivateKey.ed25519(seed);
        }
        throw new SshKeyException("unsupported PKCS#8 key algorithm " + alg.getId());
    }

    /** SEC1, with the curve from the structure itself or, inside PKCS#8, from the envelope. */
    private static SshPrivateKey sec1(byte[] der, NistCurve outer) {
        // Bouncy Castle reads the fields lazily, so malformed input surfaces in the getters.
        Sec1Fields k = asn1("SEC1 EC private key", () -> {
            ECPrivateKey s = ECPrivateKey.getInstance(der);
            return new Sec1Fields(s.getKey(), s.getParametersObject());
        });
        ASN1Encodable inner = k.params();
        NistCurve curve = inner != null ? namedCurve(inner) : outer;
        if (curve == null) {
            throw new SshKeyException("EC private key does not name its curve");
        }
        if (outer != null && curve != outer) {
            throw new SshKeyException("EC private key names two different curves");
        }
        return SshPrivateKey.ec(curve, k.d());
    }

    private record Sec1Fields(BigInteger d, ASN1Encodable params) {
    }

    private static NistCurve namedCurve(ASN1Encodable params) {
        if (params instanceof ASN1ObjectIdentifier oid) {
            return NistCurve.byOid(oid);
        }
        throw new SshKeyException("EC keys with explicit curve parameters are not supported");
    }

    static byte[] pkcs1(SshPrivateKey key) {
        RSAPrivateCrtKeyParameters k = (RSAPrivateCrtKeyParameters) key.params();
        return der(new RSAPrivateKey(k.getModulus(), k.getPublicExponent(), k.getExponent(),
                k.getP(), k.getQ(), k.getDP(), k.getDQ(), k.getQInv()));
    }

    /** RFC 5915 with the named curve and public key, as Go and OpenSSL write it. */
    static byte[] sec1(SshPrivateKey key) {
        ECPrivateKeyParameters k = (ECPrivateKeyParameters) key.params();
        NistCurve curve = key.keyType().curve();
        byte[] point = ((ECPublicKeyParameters) key.publicKey().params()).getQ().getEncoded(false);
        return der(new ECPrivateKey(curve.bits(), k.getD(), new DERBitString(point), curve.oid()));
    }

    private static byte[] der(ASN1Encodable structure) {
        try {
            return structure.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding to memory failed", e);
        }
    }

    private interface Asn1Parse<T> {
        T parse() throws IOException;
    }

    /** Bouncy Castle signals malformed ASN.1 with assorted runtime exceptions: unify them. */
    private static <T> T asn1(String what, Asn1Parse<T> parse) {
        try {
            T value = parse.parse();
            if (value == null) {
                throw new SshKeyException("malformed " + what);
            }
            return value;
        } catch (SshKeyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SshKeyException("malformed " + what);
        }
    }
}
