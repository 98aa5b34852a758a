package dev.latchkey.api.auth.jwt;

import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.text.ParseException;
import java.util.List;

/**
 * Where a mount's verification keys come from: PEM keys in its configuration, or a JWKS document
 * (given as a URL, or found through OIDC discovery). A JWKS is fetched when first needed and kept;
 * a token that none of the kept keys verifies makes one fetch (one at a time) and a second try, so
 * a provider's new key is picked up on the first token it signs, with no timer. A configuration
 * write makes a new source.
 */
final class KeySource {
    private final List<Keys.Key> fixed;
    private final String jwksUrl;
    private final HttpFetch http;
    private volatile List<Keys.Key> fetched;

    private KeySource(List<Keys.Key> fixed, String jwksUrl, HttpFetch http) {
        this.fixed = fixed;
        this.jwksUrl = jwksUrl;
        this.http = http;
    }

    static KeySource of(List<Keys.Key> keys) {
        return new KeySource(List.copyOf(keys), null, null);
    }

    static KeySource jwks(String url, HttpFetch http) {
        return new KeySource(null, url, http);
    }

    boolean remote() {
        return jwksUrl != null;
    }

    /** Fetches the JWKS now (a configuration write checks that it can). */
    List<Keys.Key> fetch() throws IOException {
        try {
            List<Keys.Key> keys = Keys.fromJwks(http.get(jwksUrl));
            fetched = keys;
            return keys;
        } catch (ParseException e) {
            throw new IOException("not a JWKS document: " + e.getMessage());
        }
    }

    /** Whether a key of this source verifies the token's signature, fetching the JWKS again once if need be. */
    boolean verifies(SignedJWT jwt) {
        if (!remote()) {
            return anyVerifies(fixed, jwt);
        }
        List<Keys.Key> keys = fetched;
        if (keys != null && anyVerifies(keys, jwt)) {
            return true;
        }
        synchronized (this) {
            if (fetched != keys && fetched != null && anyVerifies(fetched, jwt)) {
                return true; // another request fetched meanwhile
            }
            try {
                return anyVerifies(fetch(), jwt);
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static boolean anyVerifies(List<Keys.Key> keys, SignedJWT jwt) {
        String kid = jwt.getHeader().getKeyID();
        for (Keys.Key k : keys) {
            if ((kid == null || k.kid() == null || kid.equals(k.kid())) && Keys.verifies(jwt, k.key())) {
                return true;
            }
        }
        return false;
    }
}
