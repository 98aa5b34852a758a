package dev.latchkey.api.auth;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Login;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.net.Cidr;
import dev.latchkey.engine.storage.JsonValues;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token settings every login role carries ({@code token_ttl}, {@code token_policies}, …),
 * shared by userpass users, AppRole roles and JWT roles as Vault shares them, with the older
 * names ({@code policies}, {@code ttl}, …) accepted where the newer are absent. Durations in
 * seconds.
 */
public record TokenFields(long ttl, long maxTtl, long explicitMaxTtl, long period, List<String> policies,
                   List<String> boundCidrs, boolean noDefaultPolicy, long numUses, String type) {
    public static final TokenFields NONE = new TokenFields(0, 0, 0, 0, List.of(), List.of(), false, 0, "");

    public TokenFields {
        policies = List.copyOf(policies);
        boundCidrs = List.copyOf(boundCidrs);
    }

    /** Declares the fields on a path that writes them. */
    public static PathSpec declare(PathSpec p) {
        return p.field("token_ttl", FieldType.DURATION).field("token_max_ttl", FieldType.DURATION)
                .field("token_explicit_max_ttl", FieldType.DURATION).field("token_period", FieldType.DURATION)
                .field("token_policies", FieldType.COMMA_STRING_SLICE)
                .field("token_bound_cidrs", FieldType.COMMA_STRING_SLICE)
                .field("token_no_default_policy", FieldType.BOOL).field("token_num_uses", FieldType.INT)
                .field("token_type", FieldType.STRING)
                .field("policies", FieldType.COMMA_STRING_SLICE).field("ttl", FieldType.DURATION)
                .field("max_ttl", FieldType.DURATION).field("period", FieldType.DURATION)
                .field("bound_cidrs", FieldType.COMMA_STRING_SLICE).field("num_uses", FieldType.INT);
    }

    /** These settings with what the request names changed, checked as Vault checks them. */
    public TokenFields updated(Fields f) {
        long newTtl = pick(f, "token_ttl", "ttl", ttl);
        long newMax = pick(f, "token_max_ttl", "max_ttl", maxTtl);
        long newExplicit = f.has("token_explicit_max_ttl") ? f.seconds("token_explicit_max_ttl") : explicitMaxTtl;
        long newPeriod = pick(f, "token_period", "period", period);
        long newUses = f.has("token_num_uses") ? f.integer("token_num_uses") : f.has("num_uses") ? f.integer("num_uses") : numUses;
        List<String> newPolicies = f.has("token_policies") ? f.strings("token_policies")
                : f.has("policies") ? f.strings("policies") : policies;
        List<String> newCidrs = f.has("token_bound_cidrs") ? f.strings("token_bound_cidrs")
                : f.has("bound_cidrs") ? f.strings("bound_cidrs") : boundCidrs;
        String newType = f.has("token_type") ? f.string("token_type") : type;
        if (newTtl < 0) {
            throw EngineException.user("'token_ttl' cannot be negative");
        }
        if (newMax < 0) {
            throw EngineException.user("'token_max_ttl' cannot be negative");
        }
        if (newTtl > 0 && newMax > 0 && newTtl > newMax) {
            throw EngineException.user("'token_ttl' cannot be greater than 'token_max_ttl'");
        }
        if (newPeriod < 0) {
            throw EngineException.user("'token_period' cannot be negative");
        }
        if (newUses < 0) {
            throw EngineException.user("'token_num_uses' cannot be negative");
        }
        switch (newType) {
            case "", "default", "service" -> {
            }
            case "batch" -> throw EngineException.user("token_type batch is not supported: Latchkey issues service tokens only");
            default -> throw EngineException.user("invalid 'token_type' value " + GoFormat.q(newType));
        }
        for (String c : newCidrs) {
            try {
                Cidr.parse(c.contains("/") ? c : c + (c.contains(":") ? "/128" : "/32"));
            } catch (RuntimeException e) {
                throw EngineException.user(e.getMessage());
            }
        }
        return new TokenFields(newTtl, newMax, newExplicit, newPeriod, newPolicies, newCidrs,
                f.bool("token_no_default_policy", noDefaultPolicy), newUses, newType);
    }

    private static long pick(Fields f, String name, String legacy, long was) {
        return f.has(name) ? f.seconds(name) : f.has(legacy) ? f.seconds(legacy) : was;
    }

    /** The fields as a role read shows them. */
    public void describe(Map<String, Object> into) {
        into.put("token_bound_cidrs", boundCidrs);
        into.put("token_explicit_max_ttl", explicitMaxTtl);
        into.put("token_max_ttl", maxTtl);
        into.put("token_no_default_policy", noDefaultPolicy);
        into.put("token_num_uses", numUses);
        into.put("token_period", period);
        into.put("token_policies", policies);
        into.put("token_ttl", ttl);
        into.put("token_type", type.isEmpty() ? "default" : type);
    }

    /** A login by these settings. */
    public Login login(String aliasName, Map<String, String> aliasMetadata, Map<String, String> tokenMetadata,
                String displayName) {
        return new Login(aliasName, aliasMetadata, tokenMetadata, displayName, policies, ttl, maxTtl, explicitMaxTtl,
                period, noDefaultPolicy, numUses, boundCidrs);
    }

    public Map<String, Object> toStorage() {
        Map<String, Object> m = new LinkedHashMap<>();
        describe(m);
        m.put("token_type", type);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static TokenFields fromStorage(Map<String, Object> m) {
        return new TokenFields(JsonValues.longValue(m, "token_ttl"), JsonValues.longValue(m, "token_max_ttl"), JsonValues.longValue(m, "token_explicit_max_ttl"),
                JsonValues.longValue(m, "token_period"), (List<String>) m.getOrDefault("token_policies", List.of()),
                (List<String>) m.getOrDefault("token_bound_cidrs", List.of()),
                Boolean.TRUE.equals(m.get("token_no_default_policy")), JsonValues.longValue(m, "token_num_uses"),
                (String) m.getOrDefault("token_type", ""));
    }

}
