package dev.latchkey.api.token;

import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/** {@code auth/token/}: look up, create, renew and revoke tokens. */
public final class TokenBackend extends LogicalBackend {
    public static final String TYPE = "token";

    private final TokenStore tokens;
    private final SystemDefaults defaults;
    private final LongSupplier clock;

    public TokenBackend(TokenStore tokens, SystemDefaults defaults, LongSupplier clockMillis) {
        this.tokens = tokens;
        this.defaults = defaults;
        this.clock = clockMillis;
        register(PathSpec.path("lookup-self").on(Operation.READ, this::lookupSelf).on(Operation.UPDATE, this::lookupSelf));
        register(PathSpec.path("lookup").field("token", FieldType.STRING)
                .on(Operation.READ, this::lookup).on(Operation.UPDATE, this::lookup));
        PathSpec create = createFields(PathSpec.path("create(?:/(?<role>" + PathSpec.NAME + "))?").capture("role", "role_name"));
        register(create.on(Operation.UPDATE, (r, f) -> create(r, f, false)));
        register(createFields(PathSpec.path("create-orphan")).on(Operation.UPDATE, (r, f) -> create(r, f, true)));
        register(PathSpec.path("renew-self").field("increment", FieldType.DURATION).on(Operation.UPDATE, this::renewSelf));
        register(PathSpec.path("renew").field("token", FieldType.STRING).field("increment", FieldType.DURATION)
                .on(Operation.UPDATE, this::renew));
        register(PathSpec.path("revoke-self").on(Operation.UPDATE, this::revokeSelf));
        register(PathSpec.path("revoke").field("token", FieldType.STRING).on(Operation.UPDATE, this::revoke));
    }

    private static PathSpec createFields(PathSpec p) {
        return p.field("id", FieldType.STRING).field("policies", FieldType.COMMA_STRING_SLICE)
                .field("meta", FieldType.STRING_MAP).field("no_parent", FieldType.BOOL)
                .field("no_default_policy", FieldType.BOOL).field("renewable", FieldType.BOOL)
                .field("ttl", FieldType.DURATION).field("lease", FieldType.DURATION)
                .field("explicit_max_ttl", FieldType.DURATION).field("period", FieldType.DURATION)
                .field("display_name", FieldType.STRING).field("num_uses", FieldType.INT)
                .field("type", FieldType.STRING).field("entity_alias", FieldType.STRING);
    }

    @Override
    public String type() {
        return TYPE;
    }

    private TokenStore.Resolved caller(Request r) {
        return tokens.lookup(r.clientToken()).orElseThrow(EngineException::invalidToken);
    }

    private Response lookupSelf(Request r, Fields f) {
        return Response.of(describe(caller(r)));
    }

    private Response lookup(Request r, Fields f) {
        String token = f.string("token");
        if (token.isEmpty()) {
            token = r.clientToken();
        }
        // Vault answers an unknown, expired or revoked token here with 403, not 400.
        return tokens.lookup(token).map(t -> Response.of(describe(t)))
                .orElseThrow(() -> new EngineException(EngineException.Kind.INVALID_TOKEN, "bad token"));
    }

    private Response create(Request r, Fields f, boolean orphanPath) {
        if (!f.string("role_name").isEmpty()) {
            throw EngineException.user("unknown role " + f.string("role_name"));
        }
        TokenStore.Resolved parent = caller(r);
        boolean root = parent.entry().isRoot();
        String type = f.string("type");
        if (!type.isEmpty() && !type.equals("service")) {
            throw EngineException.user("unsupported token type " + type + ": Latchkey issues service tokens only");
        }
        if (!f.string("id").isEmpty() && !root) {
            throw EngineException.user("root or sudo privileges required to specify token id");
        }
        if (f.bool("no_parent") && !root) {
            throw EngineException.user("root or sudo privileges required to create orphan token");
        }
        long numUses = f.integer("num_uses");
        if (numUses < 0) {
            throw EngineException.user("number of uses cannot be negative");
        }
        List<String> policies = policies(f, parent.entry());
        long ttl = f.seconds("ttl") > 0 ? f.seconds("ttl") : f.seconds("lease");
        long explicitMax = f.seconds("explicit_max_ttl");
        long period = f.seconds("period");
        boolean neverExpires = ttl == 0 && period == 0 && explicitMax == 0 && policies.contains("root") && root;
        List<String> warnings = new ArrayList<>();
        if (period > 0) {
            PeriodicTtl periodic = PeriodicTtl.of(period, defaults.maxLeaseTtl(), explicitMax);
            ttl = periodic.ttl();
            periodic.warning().ifPresent(warnings::add);
        } else if (ttl == 0 && !neverExpires) {
            ttl = defaults.defaultLeaseTtl();
        }
        if (explicitMax > 0 && ttl > explicitMax) {
            ttl = explicitMax;
            warnings.add("Explicit max TTL is less than the requested TTL; the TTL was lowered to it");
        }
        if (period == 0 && ttl > defaults.maxLeaseTtl()) {
            ttl = defaults.maxLeaseTtl();
            warnings.add("TTL of " + f.seconds("ttl") + "s is greater than the system max TTL; capped at "
                    + defaults.maxLeaseTtl() + "s");
        }
        long now = clock.getAsLong();
        boolean orphan = orphanPath || f.bool("no_parent");
        String path = orphanPath ? "auth/token/create-orphan" : "auth/token/create";
        TokenEntry entry = new TokenEntry(TokenStore.newAccessor(), policies, path, f.stringMap("meta"),
                DisplayNames.forCreatedToken(f.string("display_name")), (int) Math.min(numUses, Integer.MAX_VALUE),
                orphan, orphan ? "" : parent.entry().accessor(), now / 1000, ttl,
                ttl == 0 ? 0 : now + ttl * 1000L, explicitMax, period, f.bool("renewable", true), 0L);
        String token = tokens.create(entry, f.string("id"));
        Map<String, Object> auth = authBlock(token, entry, ttl);
        Response response = Response.envelopeOnly().withAuth(auth);
        warnings.forEach(response::withWarning);
        return response;
    }

    /** Requested policies (or the parent's), plus {@code default}; a non-root parent can only narrow. */
    private static List<String> policies(Fields f, TokenEntry parent) {
        LinkedHashSet<String> requested = new LinkedHashSet<>();
        if (f.has("policies") && !f.strings("policies").isEmpty()) {
            f.strings("policies").forEach(p -> requested.add(p.strip().toLowerCase(Locale.ROOT)));
        } else {
            requested.addAll(parent.policies());
        }
        if (!parent.isRoot()) {
            for (String p : requested) {
                if (!p.equals("default") && !parent.policies().contains(p)) {
                    throw EngineException.user("child policies must be subset of parent");
                }
            }
        }
        if (!requested.contains("root") && !f.bool("no_default_policy")) {
            requested.add("default");
        }
        if (f.bool("no_default_policy")) {
            requested.remove("default");
        }
        List<String> out = new ArrayList<>(requested);
        out.sort(null);
        return out;
    }

    private Response renewSelf(Request r, Fields f) {
        return renewed(tokens.renew(caller(r), f.seconds("increment"), defaults.maxLeaseTtl()), r.clientToken());
    }

    private Response renew(Request r, Fields f) {
        String token = f.string("token").isEmpty() ? r.clientToken() : f.string("token");
        TokenStore.Resolved t = tokens.lookup(token).orElseThrow(() -> EngineException.user("token not found"));
        return renewed(tokens.renew(t, f.seconds("increment"), defaults.maxLeaseTtl()), token);
    }

    private Response renewed(TokenStore.Renewal renewal, String token) {
        TokenEntry e = renewal.entry();
        // measured from the renewal instant itself, so a 2h increment answers 7200, not 7199
        long ttl = e.expireTime() == 0 ? 0 : Math.max(0, (e.expireTime() - e.lastRenewal()) / 1000);
        Response response = Response.envelopeOnly().withAuth(authBlock(token, e, ttl));
        renewal.warnings().forEach(response::withWarning);
        return response;
    }

    /** The envelope's {@code auth} object for a token that was just created or renewed. */
    private static Map<String, Object> authBlock(String token, TokenEntry e, long ttl) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("client_token", token);
        auth.put("accessor", e.accessor());
        auth.put("policies", e.policies());
        auth.put("token_policies", e.policies());
        auth.put("metadata", e.meta().isEmpty() ? null : e.meta());
        auth.put("lease_duration", ttl);
        auth.put("renewable", ttl > 0 && e.renewable());
        auth.put("entity_id", "");
        auth.put("token_type", "service");
        auth.put("orphan", e.orphan());
        auth.put("mfa_requirement", null);
        auth.put("num_uses", Math.max(0, e.numUses()));
        return auth;
    }

    private Response revokeSelf(Request r, Fields f) {
        tokens.revoke(caller(r));
        return Response.empty();
    }

    private Response revoke(Request r, Fields f) {
        String token = f.string("token");
        if (token.isEmpty()) {
            throw EngineException.user("missing token");
        }
        tokens.lookup(token).ifPresent(tokens::revoke);
        return Response.empty();
    }

    private Map<String, Object> describe(TokenStore.Resolved t) {
        TokenEntry e = t.entry();
        long now = clock.getAsLong();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("accessor", e.accessor());
        d.put("creation_time", e.creationTime());
        d.put("creation_ttl", e.creationTtl());
        d.put("display_name", e.displayName());
        d.put("entity_id", "");
        d.put("expire_time", e.expireTime() == 0 ? null : Instant.ofEpochMilli(e.expireTime()).toString());
        d.put("explicit_max_ttl", e.explicitMaxTtl());
        d.put("id", t.token());
        if (e.expireTime() != 0) {
            d.put("issue_time", Instant.ofEpochSecond(e.creationTime()).toString());
            d.put("last_renewal", e.lastRenewal() == 0 ? null : Instant.ofEpochMilli(e.lastRenewal()).toString());
            d.put("last_renewal_time", e.lastRenewal() / 1000);
            d.put("renewable", e.renewable());
        }
        d.put("meta", e.meta().isEmpty() ? null : e.meta());
        d.put("num_uses", Math.max(0, e.numUses()));
        d.put("orphan", e.orphan());
        d.put("path", e.path());
        if (e.period() > 0) {
            d.put("period", e.period());
        }
        d.put("policies", e.policies());
        d.put("ttl", e.expireTime() == 0 ? 0 : Math.max(0, (e.expireTime() - now) / 1000));
        d.put("type", "service");
        return d;
    }
}
