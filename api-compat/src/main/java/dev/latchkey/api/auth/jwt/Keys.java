package dev.latchkey.api.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Verification keys and signature checks for JWTs, over Nimbus JOSE+JWT (parsing, RSA and ECDSA)
 * and the JDK (Ed25519, which Nimbus verifies only with an extra library). The one place the JOSE
 * library's key and verifier types are used.
 */
final class Keys {
    /** The algorithms a token may be signed with; never HMAC or {@code none}. */
    static final Set<String> SUPPORTED = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256",
            "PS384", "PS512", "EdDSA");
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

    /** One verification key, with the key ID its JWKS gave it (null for a PEM key or none). */
    record Key(String kid, PublicKey key) {
    }

    private Keys() {
    }

    /** PEM public keys (or certificates, whose keys are taken); the error names what could not be read. */
    static List<Key> fromPem(List<String> pems) {
        List<Key> out = new ArrayList<>();
        for (String pem : pems) {
            out.add(new Key(null, publicKey(pem)));
        }
        return out;
    }

    private static PublicKey publicKey(String pem) {
        String text = pem.strip();
        try {
            if (text.startsWith("-----BEGIN CERTIFICATE-----")) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).getPublicKey();
            }
            if (!text.startsWith("-----BEGIN PUBLIC KEY-----")) {
                throw new IllegalArgumentException("data does not contain any valid RSA, ECDSA or Ed25519 public keys");
            }
            String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(body));
            for (String type : List.of("RSA", "EC", "Ed25519")) {
                try {
                    return KeyFactory.getInstance(type).generatePublic(spec);
                } catch (GeneralSecurityException notThisType) {
                    // next
                }
            }
            throw new IllegalArgumentException("data does not contain any valid RSA, ECDSA or Ed25519 public keys");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The RSA, EC and Ed25519 keys of a JWKS document; other keys are skipped. */
    static List<Key> fromJwks(String json) throws ParseException {
        List<Key> out = new ArrayList<>();
        for (JWK jwk : JWKSet.parse(json).getKeys()) {
            try {
                if (jwk instanceof RSAKey rsa) {
                    out.add(new Key(jwk.getKeyID(), rsa.toRSAPublicKey()));
                } else if (jwk instanceof ECKey ec) {
                    out.add(new Key(jwk.getKeyID(), ec.toECPublicKey()));
                } else if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                    byte[] x = okp.getX().decode();
                    byte[] spki = new byte[ED25519_SPKI.length + x.length];
                    System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
                    System.arraycopy(x, 0, spki, ED25519_SPKI.length, x.length);
                    out.add(new Key(jwk.getKeyID(), KeyFactory.getInstance("Ed25519")
                            .generatePublic(new X509EncodedKeySpec(spki))));
                }
            } catch (JOSEException | GeneralSecurityException e) {
                // a key this server cannot use verifies nothing
            }
        }
        return out;
    }

    /** Whether the token's signature verifies with the key (false when the key does not fit its algorithm). */
    static boolean verifies(SignedJWT jwt, PublicKey key) {
        String alg = jwt.getHeader().getAlgorithm().getName();
        try {
            if (alg.startsWith("RS") || alg.startsWith("PS")) {
                return key instanceof RSAPublicKey rsa && jwt.verify(new RSASSAVerifier(rsa));
            }
            if (alg.startsWith("ES")) {
                return key instanceof ECPublicKey ec && jwt.verify(new ECDSAVerifier(ec));
            }
            if (alg.equals(JWSAlgorithm.EdDSA.getName()) || alg.equals("Ed25519")) {
                if (!(key instanceof EdECPublicKey)) {
                    return false;
                }
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(jwt.getSigningInput());
                return s.verify(jwt.getSignature().decode());
            }
            return false;
        } catch (JOSEException | GeneralSecurityException | IllegalStateException e) {
            return false;
        }
    }
}
