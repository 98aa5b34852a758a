package dev.latchkey.api.core;

import dev.latchkey.api.acl.PolicyStore;
import dev.latchkey.api.identity.Entity;
import dev.latchkey.api.identity.IdentityStore;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.api.token.TokenEntry;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Login;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.net.CidrList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * What the core does once an auth method has accepted a login, in Vault's order: the login's
 * address against the role's bound CIDRs; the entity for the alias (found or made; a disabled one
 * refused); the display name; the TTL within the mount's and the role's maximums; the policies
 * ({@code default} added, root refused, the entity's and its groups' shown beside them); then an
 * orphan service token carrying the entity, answered in {@code auth}.
 */
final class LoginPipeline {
    private final TokenStore tokens;
    private final IdentityStore identity;
    private final LongSupplier clock;

    LoginPipeline(TokenStore tokens, IdentityStore identity, LongSupplier clockMillis) {
        this.tokens = tokens;
        this.identity = identity;
        this.clock = clockMillis;
    }

    Response finish(MountTable.Route route, Call call, Login login) {
        if (!login.boundCidrs().isEmpty() && !CidrList.anyContainsAddress(login.boundCidrs(), call.clientAddress())) {
            throw EngineException.forbidden("permission denied");
        }
        String accessor = route.mount().accessor();
        Entity entity = identity.loginEntity(accessor, login.aliasName(), login.aliasMetadata());
        if (entity.disabled()) {
            throw EngineException.forbidden("permission denied");
        }
        String displayName = displayName(route.mount().path(), login.displayName());
        List<String> warnings = new ArrayList<>();
        long max = smallestNonZero(route.info().maxLeaseTtl(), login.maxTtl(), login.explicitMaxTtl());
        long ttl;
        if (login.period() > 0) {
            ttl = login.period();
            if (max > 0 && ttl > max) {
                warnings.add("period of " + GoFormat.q(Durations.format(ttl)) + " exceeded the effective max_ttl of "
                        + GoFormat.q(Durations.format(max)) + "; period value is capped accordingly");
                ttl = max;
            }
        } else {
            ttl = login.ttl() > 0 ? login.ttl() : route.info().defaultLeaseTtl();
            if (max > 0 && ttl > max) {
                warnings.add("TTL of " + GoFormat.q(Durations.format(ttl)) + " exceeded the effective max_ttl of "
                        + GoFormat.q(Durations.format(max)) + "; TTL value is capped accordingly");
                ttl = max;
            }
        }
        List<String> tokenPolicies = tokenPolicies(login);
        List<String> identityPolicies = identity.identityPolicies(entity);
        long now = clock.getAsLong();
        TokenEntry entry = new TokenEntry(TokenStore.newAccessor(), tokenPolicies, call.path(), login.tokenMetadata(),
                displayName, (int) Math.min(login.numUses(), Integer.MAX_VALUE), true, "", now / 1000, ttl,
                now + ttl * 1000L, login.explicitMaxTtl(), login.period(), true, 0L, "", entity.id(), login.boundCidrs());
        String token = tokens.create(entry, null);

        TreeSet<String> all = new TreeSet<>(tokenPolicies);
        all.addAll(identityPolicies);
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("client_token", token);
        auth.put("accessor", entry.accessor());
        auth.put("policies", new ArrayList<>(all));
        if (!tokenPolicies.isEmpty()) {
            auth.put("token_policies", tokenPolicies);
        }
        if (!identityPolicies.isEmpty()) {
            auth.put("identity_policies", identityPolicies);
        }
        auth.put("metadata", login.tokenMetadata().isEmpty() ? null : login.tokenMetadata());
        auth.put("lease_duration", ttl);
        auth.put("renewable", true);
        auth.put("entity_id", entity.id());
        auth.put("token_type", "service");
        auth.put("orphan", true);
        auth.put("mfa_requirement", null);
        auth.put("num_uses", login.numUses());
        Response response = Response.envelopeOnly().withAuth(auth);
        warnings.forEach(response::withWarning);
        return response;
    }

    /** {@code auth/my/userpass/} and {@code alice} as {@code my-userpass-alice}. */
    static String displayName(String mountPath, String methodName) {
        String name = mountPath.substring("auth/".length()).replace('/', '-') + methodName;
        return name.endsWith("-") ? name.substring(0, name.length() - 1) : name;
    }

    private static List<String> tokenPolicies(Login login) {
        TreeSet<String> out = new TreeSet<>();
        for (String p : login.policies()) {
            String name = p.strip().toLowerCase(Locale.ROOT);
            if (name.equals("root")) {
                throw EngineException.user("auth methods cannot create root tokens");
            }
            if (!PolicyStore.assignable(name)) {
                throw EngineException.user("cannot assign policy " + GoFormat.q(name));
            }
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        if (!login.noDefaultPolicy()) {
            out.add("default");
        }
        return new ArrayList<>(out);
    }

    private static long smallestNonZero(long... values) {
        long out = 0;
        for (long v : values) {
            if (v > 0 && (out == 0 || v < out)) {
                out = v;
            }
        }
        return out;
    }
}
