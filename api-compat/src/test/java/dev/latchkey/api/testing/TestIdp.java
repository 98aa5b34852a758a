package dev.latchkey.api.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token issuer for tests: keys of each kind it signs with (RSA, ECDSA P-256, Ed25519), made on
 * the fly, and their JWKS served over HTTP on loopback, where keys can be added (a rotation) while
 * the server runs. Counts the JWKS fetches.
 */
public final class TestIdp implements AutoCloseable {
    /** One signing key: its algorithm, key ID, key pair and public JWK. */
    public record SigningKey(String alg, String kid, KeyPair pair, JWK publicJwk) {
    }

    private final HttpServer server;
    private final Map<String, SigningKey> published = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();

    public TestIdp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            List<JWK> keys = new ArrayList<>();
            published.values().forEach(k -> keys.add(k.publicJwk()));
            byte[] body = new JWKSet(keys).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    public int fetches() {
        return fetches.get();
    }

    /** A new key for the algorithm ({@code RS256}, {@code PS256}, {@code ES256}, {@code EdDSA}); not yet published. */
    public static SigningKey key(String alg, String kid) {
        try {
            if (alg.startsWith("RS") || alg.startsWith("PS")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                KeyPair p = g.generateKeyPair();
                return new SigningKey(alg, kid, p, new RSAKey.Builder((RSAPublicKey) p.getPublic()).keyID(kid).build());
            }
            if (alg.equals("ES256")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair p = g.generateKeyPair();
                return new SigningKey(alg, kid, p, new ECKey.Builder(Curve.P_256, (ECPublicKey) p.getPublic()).keyID(kid).build());
            }
            KeyPair p = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = p.getPublic().getEncoded();
            byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            return new SigningKey("EdDSA", kid, p, new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes the key part of the served JWKS. */
    public SigningKey publish(SigningKey key) {
        published.put(key.kid(), key);
        return key;
    }

    /** The key's public half as PEM. */
    public static String pem(SigningKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.pair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** A compact JWT with these claims, signed with the key. */
    public static String sign(SigningKey key, Map<String, Object> claims) {
        try {
            JWTClaimsSet set = JWTClaimsSet.parse(claims);
            if (key.alg().equals("EdDSA")) {
                String header = b64("{\"alg\":\"EdDSA\",\"kid\":\"" + key.kid() + "\",\"typ\":\"JWT\"}");
                String payload = b64(set.toString());
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key.pair().getPrivate());
                s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
                return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(key.alg())).keyID(key.kid())
                    .type(JOSEObjectType.JWT).build(), set);
            jwt.sign(key.alg().equals("ES256") ? new ECDSASigner((ECPrivateKey) key.pair().getPrivate())
                    : new RSASSASigner((RSAPrivateKey) key.pair().getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
