package dev.latchkey.api.token;

import dev.latchkey.engine.storage.JsonValues;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A token role: what tokens made through {@code auth/token/create/<name>} may carry and how they
 * live. Durations are in seconds.
 *
 * @param allowedPolicies     policies a token may ask for; with none and no glob, the parent's rule applies
 * @param disallowedPolicies  policies no token of the role may carry
 * @param pathSuffix          appended to the tokens' creation path, so that a revoke-prefix can pick a generation
 * @param tokenNumUses        0 for unlimited
 */
public record TokenRole(String name, List<String> allowedPolicies, List<String> disallowedPolicies,
                        List<String> allowedPoliciesGlob, List<String> disallowedPoliciesGlob, boolean orphan,
                        boolean renewable, String pathSuffix, List<String> allowedEntityAliases, long tokenPeriod,
                        long tokenExplicitMaxTtl, String tokenType, boolean tokenNoDefaultPolicy, long tokenNumUses) {

    public TokenRole {
        allowedPolicies = List.copyOf(allowedPolicies);
        disallowedPolicies = List.copyOf(disallowedPolicies);
        allowedPoliciesGlob = List.copyOf(allowedPoliciesGlob);
        disallowedPoliciesGlob = List.copyOf(disallowedPoliciesGlob);
        allowedEntityAliases = List.copyOf(allowedEntityAliases);
    }

    /** Whether the role itself decides which policies its tokens may carry. */
    boolean listsPolicies() {
        return !allowedPolicies.isEmpty() || !disallowedPolicies.isEmpty() || !allowedPoliciesGlob.isEmpty()
                || !disallowedPoliciesGlob.isEmpty();
    }

    /** The data {@code GET auth/token/roles/<name>} answers with, in Vault's fields. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("allowed_entity_aliases", allowedEntityAliases.isEmpty() ? null : allowedEntityAliases);
        d.put("allowed_policies", allowedPolicies);
        d.put("allowed_policies_glob", allowedPoliciesGlob);
        d.put("disallowed_policies", disallowedPolicies);
        d.put("disallowed_policies_glob", disallowedPoliciesGlob);
        d.put("explicit_max_ttl", tokenExplicitMaxTtl);
        d.put("name", name);
        d.put("orphan", orphan);
        d.put("path_suffix", pathSuffix);
        d.put("period", tokenPeriod);
        d.put("renewable", renewable);
        d.put("token_explicit_max_ttl", tokenExplicitMaxTtl);
        d.put("token_no_default_policy", tokenNoDefaultPolicy);
        if (tokenNumUses > 0) {
            d.put("token_num_uses", tokenNumUses);
        }
        d.put("token_period", tokenPeriod);
        d.put("token_type", tokenType);
        return d;
    }

    Map<String, Object> toStorage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("allowed_policies", allowedPolicies);
        m.put("disallowed_policies", disallowedPolicies);
        m.put("allowed_policies_glob", allowedPoliciesGlob);
        m.put("disallowed_policies_glob", disallowedPoliciesGlob);
        m.put("orphan", orphan);
        m.put("renewable", renewable);
        m.put("path_suffix", pathSuffix);
        m.put("allowed_entity_aliases", allowedEntityAliases);
        m.put("token_period", tokenPeriod);
        m.put("token_explicit_max_ttl", tokenExplicitMaxTtl);
        m.put("token_type", tokenType);
        m.put("token_no_default_policy", tokenNoDefaultPolicy);
        m.put("token_num_uses", tokenNumUses);
        return m;
    }

    @SuppressWarnings("unchecked")
    static TokenRole fromStorage(Map<String, Object> m) {
        return new TokenRole((String) m.get("name"), list(m, "allowed_policies"), list(m, "disallowed_policies"),
                list(m, "allowed_policies_glob"), list(m, "disallowed_policies_glob"),
                Boolean.TRUE.equals(m.get("orphan")), Boolean.TRUE.equals(m.get("renewable")),
                (String) m.getOrDefault("path_suffix", ""), list(m, "allowed_entity_aliases"),
                JsonValues.longValue(m, "token_period"), JsonValues.longValue(m, "token_explicit_max_ttl"),
                (String) m.getOrDefault("token_type", "default-service"),
                Boolean.TRUE.equals(m.get("token_no_default_policy")), JsonValues.longValue(m, "token_num_uses"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

}
