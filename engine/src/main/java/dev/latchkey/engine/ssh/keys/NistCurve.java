package dev.latchkey.engine.ssh.keys;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;

/**
 * The three NIST curves SSH uses (RFC 5656), with Bouncy Castle's hand-optimised curve
 * arithmetic ({@link CustomNamedCurves}) rather than the generic implementation.
 */
enum NistCurve {
    P256("nistp256", "secp256r1", SECObjectIdentifiers.secp256r1, 256),
    P384("nistp384", "secp384r1", SECObjectIdentifiers.secp384r1, 384),
    P521("nistp521", "secp521r1", SECObjectIdentifiers.secp521r1, 521);

    private final String sshName;
    private final ASN1ObjectIdentifier oid;
    private final int bits;
    private final ECNamedDomainParameters domain;

    NistCurve(String sshName, String secName, ASN1ObjectIdentifier oid, int bits) {
        this.sshName = sshName;
        this.oid = oid;
        this.bits = bits;
        X9ECParameters x9 = CustomNamedCurves.getByName(secName);
        this.domain = new ECNamedDomainParameters(oid, x9);
    }

    /** The curve identifier inside SSH blobs, e.g. {@code nistp256}. */
    String sshName() {
        return sshName;
    }

    ASN1ObjectIdentifier oid() {
        return oid;
    }

    int bits() {
        return bits;
    }

    /** Bytes of one field element, and of the private scalar. */
    int fieldBytes() {
        return (bits + 7) / 8;
    }

    ECNamedDomainParameters domain() {
        return domain;
    }

    /** RFC 5656 §6.2.1: the hash follows the curve size. */
    Digest newDigest() {
        return switch (this) {
            case P256 -> new SHA256Digest();
            case P384 -> new SHA384Digest();
            case P521 -> new SHA512Digest();
        };
    }

    static NistCurve byOid(ASN1ObjectIdentifier oid) {
        for (NistCurve c : values()) {
            if (c.oid.equals(oid)) {
                return c;
            }
        }
        throw new SshKeyException("unsupported elliptic curve " + oid.getId()
                + " (only P-256, P-384 and P-521 are supported)");
    }
}
