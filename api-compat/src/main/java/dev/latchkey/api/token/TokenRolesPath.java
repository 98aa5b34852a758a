package dev.latchkey.api.token;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code auth/token/roles}: list, read, write and delete token roles. A write to a role that does
 * not exist yet needs {@code create}, one that changes a role needs {@code update}, as in Vault
 * (the path declares an existence check). A write changes only the fields it names.
 */
final class TokenRolesPath {
    private final TokenRoles roles;

    TokenRolesPath(TokenRoles roles) {
        this.roles = roles;
    }

    List<PathSpec> specs() {
        return List.of(
                PathSpec.path("roles/?").on(Operation.LIST, this::list),
                PathSpec.path("roles/(?<name>" + PathSpec.NAME + ")").capture("name", "role_name")
                        .field("allowed_policies", FieldType.COMMA_STRING_SLICE)
                        .field("disallowed_policies", FieldType.COMMA_STRING_SLICE)
                        .field("allowed_policies_glob", FieldType.COMMA_STRING_SLICE)
                        .field("disallowed_policies_glob", FieldType.COMMA_STRING_SLICE)
                        .field("allowed_entity_aliases", FieldType.COMMA_STRING_SLICE)
                        .field("orphan", FieldType.BOOL).field("renewable", FieldType.BOOL)
                        .field("path_suffix", FieldType.STRING)
                        .field("token_period", FieldType.DURATION).field("period", FieldType.DURATION)
                        .field("token_explicit_max_ttl", FieldType.DURATION)
                        .field("explicit_max_ttl", FieldType.DURATION)
                        .field("token_type", FieldType.STRING).field("token_no_default_policy", FieldType.BOOL)
                        .field("token_num_uses", FieldType.INT)
                        .field("token_bound_cidrs", FieldType.COMMA_STRING_SLICE)
                        .field("bound_cidrs", FieldType.COMMA_STRING_SLICE)
                        .existence(f -> roles.get(f.string("role_name")).isPresent())
                        .on(Operation.READ, this::read)
                        .on(Operation.UPDATE, this::write)
                        .on(Operation.DELETE, this::delete));
    }

    private Response list(Request r, Fields f) {
        List<String> names = roles.names();
        return names.isEmpty() ? Response.empty() : Response.of(Map.of("keys", names));
    }

    private Response read(Request r, Fields f) {
        return roles.get(f.string("role_name")).map(role -> Response.of(role.describe())).orElse(Response.empty());
    }

    private Response delete(Request r, Fields f) {
        roles.delete(f.string("role_name"));
        return Response.empty();
    }

    private Response write(Request r, Fields f) {
        String name = f.string("role_name");
        if (!f.strings("token_bound_cidrs").isEmpty() || !f.strings("bound_cidrs").isEmpty()) {
            // accepting and ignoring it would hand out tokens usable from anywhere
            throw EngineException.user("token_bound_cidrs is not supported: tokens cannot be bound to addresses yet");
        }
        TokenRole was = roles.get(name).orElse(new TokenRole(name, List.of(), List.of(), List.of(), List.of(),
                false, true, "", List.of(), 0, 0, "default-service", false, 0));
        String suffix = f.string("path_suffix", was.pathSuffix()).strip();
        if (suffix.contains("..")) {
            throw EngineException.user("error registering path suffix: suffix contains '..'");
        }
        String type = f.string("token_type", was.tokenType()).toLowerCase(Locale.ROOT);
        switch (type) {
            case "", "default", "default-service", "service" -> {
            }
            case "batch", "default-batch" -> throw EngineException.user(
                    "token_type " + type + " is not supported: Latchkey issues service tokens only");
            default -> throw EngineException.user("invalid 'token_type' value " + GoFormat.q(type));
        }
        if (type.isEmpty() || type.equals("default")) {
            type = "default-service";
        }
        long period = f.has("token_period") ? f.seconds("token_period")
                : f.has("period") ? f.seconds("period") : was.tokenPeriod();
        long explicitMax = f.has("token_explicit_max_ttl") ? f.seconds("token_explicit_max_ttl")
                : f.has("explicit_max_ttl") ? f.seconds("explicit_max_ttl") : was.tokenExplicitMaxTtl();
        long numUses = f.has("token_num_uses") ? f.integer("token_num_uses") : was.tokenNumUses();
        if (numUses < 0) {
            throw EngineException.user("token_num_uses cannot be negative");
        }
        TokenRole role = new TokenRole(name,
                f.has("allowed_policies") ? PolicyNames.sanitized(f.strings("allowed_policies"), false) : was.allowedPolicies(),
                f.has("disallowed_policies") ? PolicyNames.deduplicated(f.strings("disallowed_policies"))
                        : was.disallowedPolicies(),
                f.has("allowed_policies_glob") ? PolicyNames.deduplicated(f.strings("allowed_policies_glob"))
                        : was.allowedPoliciesGlob(),
                f.has("disallowed_policies_glob") ? PolicyNames.deduplicated(f.strings("disallowed_policies_glob"))
                        : was.disallowedPoliciesGlob(),
                f.bool("orphan", was.orphan()), f.bool("renewable", was.renewable()), suffix,
                f.has("allowed_entity_aliases") ? f.strings("allowed_entity_aliases") : was.allowedEntityAliases(),
                period, explicitMax, type, f.bool("token_no_default_policy", was.tokenNoDefaultPolicy()), numUses);
        roles.put(role);
        return Response.empty();
    }
}
