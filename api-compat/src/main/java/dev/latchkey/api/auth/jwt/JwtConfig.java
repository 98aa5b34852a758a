package dev.latchkey.api.auth.jwt;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.storage.JsonValues;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A jwt or oidc mount's {@code config}: where keys come from (PEM keys, a JWKS URL, or an OIDC
 * discovery URL), the OIDC client, the allowed algorithms, the issuer to require and the default
 * role. A write replaces the whole configuration.
 */
record JwtConfig(String oidcDiscoveryUrl, String oidcDiscoveryCaPem, String jwksUrl, String jwksCaPem,
                 List<String> jwtValidationPubkeys, String oidcClientId, String oidcClientSecret,
                 List<String> jwtSupportedAlgs, String boundIssuer, String defaultRole, String oidcResponseMode,
                 List<String> oidcResponseTypes, boolean namespaceInState) {

    JwtConfig {
        jwtValidationPubkeys = List.copyOf(jwtValidationPubkeys);
        jwtSupportedAlgs = List.copyOf(jwtSupportedAlgs);
        oidcResponseTypes = List.copyOf(oidcResponseTypes);
    }

    static PathSpec declare(PathSpec p) {
        for (String s : List.of("oidc_discovery_url", "oidc_discovery_ca_pem", "jwks_url", "jwks_ca_pem", "oidc_client_id",
                "oidc_client_secret", "bound_issuer", "default_role", "oidc_response_mode")) {
            p.field(s, FieldType.STRING);
        }
        return p.field("jwt_validation_pubkeys", FieldType.COMMA_STRING_SLICE)
                .field("jwt_supported_algs", FieldType.COMMA_STRING_SLICE)
                .field("oidc_response_types", FieldType.COMMA_STRING_SLICE)
                .field("namespace_in_state", FieldType.BOOL).field("provider_config", FieldType.MAP)
                .field("jwks_pairs", FieldType.MAP);
    }

    /** Whether logins go through the browser flow (discovery plus a client): then JWT login is off, as in Vault. */
    boolean oidcFlow() {
        return !oidcDiscoveryUrl.isEmpty() && !oidcClientId.isEmpty();
    }

    /** A configuration from a write, checked as Vault checks it (the discovery document and JWKS fetched now). */
    static JwtConfig from(Fields f) {
        JwtConfig c = new JwtConfig(f.string("oidc_discovery_url"), f.string("oidc_discovery_ca_pem"),
                f.string("jwks_url"), f.string("jwks_ca_pem"), f.strings("jwt_validation_pubkeys"),
                f.string("oidc_client_id"), f.string("oidc_client_secret"), f.strings("jwt_supported_algs"),
                f.string("bound_issuer"), f.string("default_role").toLowerCase(java.util.Locale.ROOT),
                f.string("oidc_response_mode"), f.strings("oidc_response_types"), f.bool("namespace_in_state", true));
        int sources = (c.jwtValidationPubkeys.isEmpty() ? 0 : 1) + (c.jwksUrl.isEmpty() ? 0 : 1)
                + (c.oidcDiscoveryUrl.isEmpty() ? 0 : 1) + (f.map("jwks_pairs").isEmpty() ? 0 : 1);
        if (sources != 1) {
            throw EngineException.user("exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs' or "
                    + "'oidc_discovery_url' must be set");
        }
        if (!f.map("provider_config").isEmpty()) {
            throw EngineException.user("provider_config is not supported yet: groups are read from the token's groups_claim");
        }
        if (!f.map("jwks_pairs").isEmpty()) {
            throw EngineException.user("jwks_pairs is not supported yet: use jwks_url");
        }
        if (c.oidcClientId.isEmpty() != c.oidcClientSecret.isEmpty()) {
            throw EngineException.user("both 'oidc_client_id' and 'oidc_client_secret' must be set for OIDC");
        }
        if (!c.oidcClientId.isEmpty() && c.oidcDiscoveryUrl.isEmpty()) {
            throw EngineException.user("'oidc_discovery_url' must be set for OIDC");
        }
        for (String alg : c.jwtSupportedAlgs) {
            if (!Keys.SUPPORTED.contains(alg)) {
                throw EngineException.user("invalid jwt_supported_algs: unsupported signing algorithm " + GoFormat.q(alg));
            }
        }
        for (String t : c.oidcResponseTypes) {
            if (!t.equals("code") && !t.equals("id_token")) {
                throw EngineException.user("invalid response_types " + c.oidcResponseTypes + ". 'code' and 'id_token' are allowed");
            }
        }
        if (c.oidcResponseTypes.contains("id_token")) {
            throw EngineException.user("the id_token response type is not supported yet: use code");
        }
        if (!c.oidcResponseMode.isEmpty() && !c.oidcResponseMode.equals("query")) {
            if (c.oidcResponseMode.equals("form_post")) {
                throw EngineException.user("the form_post response mode is not supported yet: use query");
            }
            throw EngineException.user("invalid response_mode: " + GoFormat.q(c.oidcResponseMode));
        }
        if (!c.jwtValidationPubkeys.isEmpty()) {
            try {
                Keys.fromPem(c.jwtValidationPubkeys);
            } catch (IllegalArgumentException e) {
                throw EngineException.user("error parsing public key: " + e.getMessage());
            }
        }
        if (!c.jwksCaPem.isEmpty() && !HttpFetch.readableCa(c.jwksCaPem)) {
            throw EngineException.user("error checking jwks_ca_pem");
        }
        if (!c.oidcDiscoveryCaPem.isEmpty() && !HttpFetch.readableCa(c.oidcDiscoveryCaPem)) {
            throw EngineException.user("error checking oidc_discovery_ca_pem");
        }
        if (!c.jwksUrl.isEmpty()) {
            try {
                KeySource.jwks(c.jwksUrl, HttpFetch.trusting(c.jwksCaPem)).fetch();
            } catch (IOException | RuntimeException e) {
                throw EngineException.user("error checking jwks URL " + c.jwksUrl + ": " + e.getMessage());
            }
        }
        if (!c.oidcDiscoveryUrl.isEmpty()) {
            try {
                Discovery.fetch(c.oidcDiscoveryUrl, HttpFetch.trusting(c.oidcDiscoveryCaPem));
            } catch (IOException | RuntimeException e) {
                throw EngineException.user("error checking oidc discovery URL: " + e.getMessage());
            }
        }
        return c;
    }

    /** What {@code GET config} shows: everything but the client secret. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("bound_issuer", boundIssuer);
        d.put("default_role", defaultRole);
        d.put("jwks_ca_pem", jwksCaPem);
        d.put("jwks_pairs", List.of());
        d.put("jwks_url", jwksUrl);
        d.put("jwt_supported_algs", jwtSupportedAlgs);
        d.put("jwt_validation_pubkeys", jwtValidationPubkeys);
        d.put("namespace_in_state", namespaceInState);
        d.put("oidc_client_id", oidcClientId);
        d.put("oidc_discovery_ca_pem", oidcDiscoveryCaPem);
        d.put("oidc_discovery_url", oidcDiscoveryUrl);
        d.put("oidc_response_mode", oidcResponseMode);
        d.put("oidc_response_types", oidcResponseTypes);
        d.put("provider_config", Map.of());
        return d;
    }

    byte[] toStorage() {
        Map<String, Object> m = new LinkedHashMap<>(describe());
        m.put("oidc_client_secret", oidcClientSecret);
        return JsonValues.encode(m);
    }

    @SuppressWarnings("unchecked")
    static JwtConfig fromStorage(byte[] bytes) {
        Map<String, Object> m = JsonValues.decode(bytes);
        return new JwtConfig(s(m, "oidc_discovery_url"), s(m, "oidc_discovery_ca_pem"), s(m, "jwks_url"),
                s(m, "jwks_ca_pem"), (List<String>) m.getOrDefault("jwt_validation_pubkeys", List.of()),
                s(m, "oidc_client_id"), s(m, "oidc_client_secret"),
                (List<String>) m.getOrDefault("jwt_supported_algs", List.of()), s(m, "bound_issuer"),
                s(m, "default_role"), s(m, "oidc_response_mode"),
                (List<String>) m.getOrDefault("oidc_response_types", List.of()),
                !Boolean.FALSE.equals(m.get("namespace_in_state")));
    }

    private static String s(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? "" : String.valueOf(v);
    }
}
