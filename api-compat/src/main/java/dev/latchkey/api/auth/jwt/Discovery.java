package dev.latchkey.api.auth.jwt;

import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.storage.JsonValues;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An OIDC provider's discovery document, as far as this method uses it. Its {@code issuer} must be
 * the discovery URL exactly, as Vault requires.
 */
record Discovery(String issuer, String authorizationEndpoint, String tokenEndpoint, String jwksUri) {
    static Discovery fetch(String url, HttpFetch http) throws IOException {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        Map<String, Object> doc = JsonValues.decode(http.get(base + "/.well-known/openid-configuration")
                .getBytes(StandardCharsets.UTF_8));
        String issuer = String.valueOf(doc.get("issuer"));
        if (!issuer.equals(url)) {
            throw new IOException("issuer did not match the issuer returned by provider, expected " + GoFormat.q(url)
                    + " got " + GoFormat.q(issuer));
        }
        Object jwks = doc.get("jwks_uri");
        if (!(jwks instanceof String)) {
            throw new IOException("the discovery document has no jwks_uri");
        }
        return new Discovery(issuer, String.valueOf(doc.getOrDefault("authorization_endpoint", "")),
                String.valueOf(doc.getOrDefault("token_endpoint", "")), (String) jwks);
    }
}
