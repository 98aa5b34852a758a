package dev.latchkey.api.auth.jwt;

import dev.latchkey.api.auth.TokenFields;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.storage.JsonValues;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A jwt or oidc role: which tokens (or ID tokens) it accepts and what their logins get. Leeways in
 * seconds, 0 for Vault's defaults, negative for none.
 */
record JwtRole(String name, String roleType, String userClaim, boolean userClaimJsonPointer,
               List<String> boundAudiences, String boundSubject, Map<String, Object> boundClaims,
               String boundClaimsType, Map<String, String> claimMappings, String groupsClaim, long clockSkewLeeway,
               long expirationLeeway, long notBeforeLeeway, List<String> allowedRedirectUris, List<String> oidcScopes,
               long maxAge, TokenFields token) {

    JwtRole {
        boundAudiences = List.copyOf(boundAudiences);
        boundClaims = Map.copyOf(boundClaims);
        claimMappings = Map.copyOf(claimMappings);
        allowedRedirectUris = List.copyOf(allowedRedirectUris);
        oidcScopes = List.copyOf(oidcScopes);
    }

    static PathSpec declare(PathSpec p) {
        return TokenFields.declare(p).field("role_type", FieldType.STRING).field("user_claim", FieldType.STRING)
                .field("user_claim_json_pointer", FieldType.BOOL)
                .field("bound_audiences", FieldType.COMMA_STRING_SLICE).field("bound_subject", FieldType.STRING)
                .field("bound_claims", FieldType.MAP).field("bound_claims_type", FieldType.STRING)
                .field("claim_mappings", FieldType.STRING_MAP).field("groups_claim", FieldType.STRING)
                .field("clock_skew_leeway", FieldType.DURATION).field("expiration_leeway", FieldType.DURATION)
                .field("not_before_leeway", FieldType.DURATION)
                .field("allowed_redirect_uris", FieldType.COMMA_STRING_SLICE)
                .field("oidc_scopes", FieldType.COMMA_STRING_SLICE).field("max_age", FieldType.DURATION)
                .field("verbose_oidc_logging", FieldType.BOOL);
    }

    /**
     * The role a write makes of {@code was} (null for a new role): named fields replaced, and, as
     * in Vault, {@code role_type} back to {@code oidc} and {@code bound_claims_type} back to
     * {@code string} when the write does not name them.
     */
    static JwtRole written(String name, JwtRole was, Fields f, long mountMaxTtl) {
        String type = f.string("role_type", "oidc");
        if (type.isEmpty()) {
            type = "oidc";
        }
        if (!type.equals("jwt") && !type.equals("oidc")) {
            throw EngineException.user("invalid 'role_type': " + type);
        }
        String claimsType = f.string("bound_claims_type", "string");
        if (claimsType.isEmpty()) {
            claimsType = "string";
        }
        if (!claimsType.equals("string") && !claimsType.equals("glob")) {
            throw EngineException.user("invalid 'bound_claims_type': " + claimsType);
        }
        String userClaim = f.string("user_claim", was == null ? "" : was.userClaim());
        if (userClaim.isEmpty()) {
            throw EngineException.user("a user claim must be defined on the role");
        }
        Map<String, Object> boundClaims = f.has("bound_claims") ? f.map("bound_claims")
                : was == null ? Map.of() : was.boundClaims();
        if (claimsType.equals("glob")) {
            for (Map.Entry<String, Object> e : boundClaims.entrySet()) {
                Object v = e.getValue();
                if (v instanceof List<?> list) {
                    for (Object item : list) {
                        if (!(item instanceof String)) {
                            throw EngineException.user("claim is not a string: " + GoFormat.v(item));
                        }
                    }
                } else if (!(v instanceof String)) {
                    throw EngineException.user("claim is not a string or list: " + GoFormat.v(v));
                }
            }
        }
        Map<String, String> mappings = f.has("claim_mappings") ? f.stringMap("claim_mappings")
                : was == null ? Map.of() : was.claimMappings();
        Set<String> targets = new HashSet<>();
        for (String target : mappings.values()) {
            if (target.equals("role")) {
                throw EngineException.user("metadata key \"role\" is reserved and may not be a mapping destination");
            }
            if (!targets.add(target)) {
                throw EngineException.user("multiple keys are mapped to metadata key " + GoFormat.q(target));
            }
        }
        TokenFields token = (was == null ? TokenFields.NONE : was.token()).updated(f);
        if (mountMaxTtl > 0 && token.period() > mountMaxTtl) {
            throw EngineException.user("'period' of " + GoFormat.q(dev.latchkey.engine.gocompat.Durations.format(token.period()))
                    + " is greater than the backend's maximum lease TTL of "
                    + GoFormat.q(dev.latchkey.engine.gocompat.Durations.format(mountMaxTtl)));
        }
        List<String> redirects = f.has("allowed_redirect_uris") ? f.strings("allowed_redirect_uris")
                : was == null ? List.of() : was.allowedRedirectUris();
        List<String> audiences = f.has("bound_audiences") ? f.strings("bound_audiences")
                : was == null ? List.of() : was.boundAudiences();
        String subject = f.string("bound_subject", was == null ? "" : was.boundSubject());
        if (type.equals("oidc") && redirects.isEmpty()) {
            throw EngineException.user("'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.");
        }
        if (type.equals("jwt") && audiences.isEmpty() && token.boundCidrs().isEmpty() && subject.isEmpty()
                && boundClaims.isEmpty()) {
            throw EngineException.user("must have at least one bound constraint when creating/updating a role");
        }
        return new JwtRole(name, type, userClaim, f.bool("user_claim_json_pointer", was != null && was.userClaimJsonPointer()),
                audiences, subject, boundClaims, claimsType, mappings,
                f.string("groups_claim", was == null ? "" : was.groupsClaim()),
                seconds(f, "clock_skew_leeway", was == null ? 0 : was.clockSkewLeeway()),
                seconds(f, "expiration_leeway", was == null ? 0 : was.expirationLeeway()),
                seconds(f, "not_before_leeway", was == null ? 0 : was.notBeforeLeeway()), redirects,
                f.has("oidc_scopes") ? f.strings("oidc_scopes") : was == null ? List.of() : was.oidcScopes(),
                seconds(f, "max_age", was == null ? 0 : was.maxAge()), token);
    }

    private static long seconds(Fields f, String name, long was) {
        return f.has(name) ? f.seconds(name) : was;
    }

    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("allowed_redirect_uris", allowedRedirectUris);
        d.put("bound_audiences", boundAudiences);
        d.put("bound_claims", boundClaims.isEmpty() ? null : boundClaims);
        d.put("bound_claims_type", boundClaimsType);
        d.put("bound_subject", boundSubject);
        d.put("claim_mappings", claimMappings.isEmpty() ? null : claimMappings);
        d.put("clock_skew_leeway", clockSkewLeeway);
        d.put("expiration_leeway", expirationLeeway);
        d.put("groups_claim", groupsClaim);
        d.put("max_age", maxAge);
        d.put("not_before_leeway", notBeforeLeeway);
        d.put("oidc_scopes", oidcScopes);
        d.put("role_type", roleType);
        d.put("user_claim", userClaim);
        d.put("user_claim_json_pointer", userClaimJsonPointer);
        d.put("verbose_oidc_logging", false);
        token.describe(d);
        return d;
    }

    byte[] toStorage() {
        Map<String, Object> m = new LinkedHashMap<>(describe());
        m.putAll(token.toStorage());
        m.put("name", name);
        return JsonValues.encode(m);
    }

    @SuppressWarnings("unchecked")
    static JwtRole fromStorage(byte[] bytes) {
        Map<String, Object> m = JsonValues.decode(bytes);
        return new JwtRole((String) m.get("name"), (String) m.get("role_type"), (String) m.get("user_claim"),
                Boolean.TRUE.equals(m.get("user_claim_json_pointer")),
                (List<String>) m.getOrDefault("bound_audiences", List.of()), (String) m.getOrDefault("bound_subject", ""),
                m.get("bound_claims") == null ? Map.of() : (Map<String, Object>) m.get("bound_claims"),
                (String) m.getOrDefault("bound_claims_type", "string"),
                m.get("claim_mappings") == null ? Map.of() : (Map<String, String>) m.get("claim_mappings"),
                (String) m.getOrDefault("groups_claim", ""), JsonValues.longValue(m, "clock_skew_leeway"), JsonValues.longValue(m, "expiration_leeway"),
                JsonValues.longValue(m, "not_before_leeway"), (List<String>) m.getOrDefault("allowed_redirect_uris", List.of()),
                (List<String>) m.getOrDefault("oidc_scopes", List.of()), JsonValues.longValue(m, "max_age"), TokenFields.fromStorage(m));
    }

}
