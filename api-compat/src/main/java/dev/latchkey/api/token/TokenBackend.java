package dev.latchkey.api.token;

import dev.latchkey.api.acl.Acl;
import dev.latchkey.api.acl.PolicyStore;
import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code auth/token/}: look up, create, renew and revoke tokens, by token or by accessor; token
 * roles; and the tidy that mends what an interrupted revocation left.
 */
public final class TokenBackend extends LogicalBackend {
    public static final String TYPE = "token";

    private static final Logger LOG = Logger.getLogger(TokenBackend.class.getName());

    private final TokenStore tokens;
    private final TokenRoles roles;
    private final PolicyStore policies;
    private final Function<TokenEntry, Acl> aclOf;
    private final Function<TokenEntry, Optional<LoginLimits>> loginCheck;
    private final SystemDefaults defaults;
    private final LongSupplier clock;
    private final Executor background;

    /**
     * What a renewal of a login's token may give: the login's current TTL and maximum (0 for none).
     */
    public record LoginLimits(long ttl, long maxTtl) {
    }

    /**
     * @param aclOf      a token's ACL, identity policies included (the handlers that decide sudo ask it)
     * @param loginCheck for a token a login made: its auth method's say on a renewal (limits, or a
     *                   refusal thrown); empty for other tokens
     * @param background where a tidy runs after its answer
     */
    public TokenBackend(TokenStore tokens, TokenRoles roles, PolicyStore policies, Function<TokenEntry, Acl> aclOf,
                        Function<TokenEntry, Optional<LoginLimits>> loginCheck, SystemDefaults defaults,
                        LongSupplier clockMillis, Executor background) {
        this.loginCheck = loginCheck;
        this.tokens = tokens;
        this.roles = roles;
        this.policies = policies;
        this.aclOf = aclOf;
        this.defaults = defaults;
        this.clock = clockMillis;
        this.background = background;
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
        // the token goes in the body only: a token in the URL would reach audit entries and access logs in clear
        register(PathSpec.path("revoke-orphan").field("token", FieldType.STRING).on(Operation.UPDATE, this::revokeOrphan));
        register(PathSpec.path("lookup-accessor").field("accessor", FieldType.STRING)
                .on(Operation.UPDATE, this::lookupAccessor));
        register(PathSpec.path("renew-accessor").field("accessor", FieldType.STRING)
                .field("increment", FieldType.DURATION).on(Operation.UPDATE, this::renewAccessor));
        register(PathSpec.path("revoke-accessor").field("accessor", FieldType.STRING)
                .on(Operation.UPDATE, this::revokeAccessor));
        register(PathSpec.path("accessors/?").sudo().on(Operation.LIST, this::listAccessors));
        register(PathSpec.path("tidy").on(Operation.UPDATE, this::tidy));
        new TokenRolesPath(roles).specs().forEach(this::register);
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

    /**
     * {@code auth/token/create}, {@code create-orphan} and {@code create/<role>}, deciding as Vault's
     * token store does: a caller with {@code sudo} on the path it called (or a root token) may name
     * the token, make an orphan or a periodic token and give any policies; anyone else only a subset
     * of their own policies. A role replaces that subset rule by its own lists when it has any.
     */
    private Response create(Request r, Fields f, boolean orphanPath) {
        TokenStore.Resolved parent = caller(r);
        String roleName = f.string("role_name");
        TokenRole role = null;
        if (!roleName.isEmpty()) {
            role = roles.get(roleName).orElseThrow(() -> EngineException.user("unknown role " + roleName));
        }
        if (parent.entry().numUses() != 0) {
            // else a limited token could escape its count by making unlimited children
            throw EngineException.user("restricted use token cannot generate child tokens");
        }
        String path = "auth/token/" + r.path();
        TokenEntry parentEntry = parent.entry();
        boolean sudo = parentEntry.isRoot() || aclOf.apply(parentEntry).hasSudo(path);
        String type = f.string("type");
        if (!type.isEmpty() && !type.equals("service")) {
            throw EngineException.user("unsupported token type " + type + ": Latchkey issues service tokens only");
        }
        long numUses = f.integer("num_uses");
        if (numUses < 0) {
            throw EngineException.user("number of uses cannot be negative");
        }
        boolean renewable = f.bool("renewable", true);
        String creationPath = path;
        if (role != null) {
            renewable = renewable && role.renewable();
            if (role.tokenNumUses() > 0 && (numUses == 0 || role.tokenNumUses() < numUses)) {
                numUses = role.tokenNumUses();
            }
            if (!role.pathSuffix().isEmpty()) {
                creationPath = path + "/" + role.pathSuffix();
            }
        }
        if (!f.string("id").isEmpty() && !sudo) {
            throw EngineException.user("root or sudo privileges required to specify token id");
        }
        List<String> granted = policies(f, parentEntry, role, sudo);
        boolean orphan = orphanPath;
        if (role != null) {
            orphan = role.orphan();
        } else if (f.bool("no_parent")) {
            if (!sudo) {
                throw EngineException.user("root or sudo privileges required to create orphan token");
            }
            orphan = true;
        }
        List<String> warnings = new ArrayList<>();
        long explicitMax = f.seconds("explicit_max_ttl");
        if (explicitMax < 0) {
            throw EngineException.user("explicit_max_ttl must be positive");
        }
        long period = f.seconds("period");
        if (period < 0) {
            throw EngineException.user("period must be positive");
        }
        if (period > 0 && !sudo) {
            throw EngineException.user("root or sudo privileges required to create periodic token");
        }
        long ttl = f.seconds("ttl") > 0 ? f.seconds("ttl") : f.seconds("lease");
        if (ttl < 0) {
            throw EngineException.user("ttl must be positive");
        }
        if (role != null && role.tokenExplicitMaxTtl() > 0) {
            if (explicitMax > 0) {
                explicitMax = Math.min(explicitMax, role.tokenExplicitMaxTtl());
                warnings.add("Explicit max TTL specified both during creation call and in role; using the lesser value of "
                        + explicitMax + " seconds");
            } else {
                explicitMax = role.tokenExplicitMaxTtl();
            }
        }
        if (role != null && role.tokenPeriod() > 0) {
            if (period > 0) {
                period = Math.min(period, role.tokenPeriod());
                warnings.add("Period specified both during creation call and in role; using the lesser value of "
                        + period + " seconds");
            } else {
                period = role.tokenPeriod();
            }
        }
        boolean rootToken = granted.contains("root");
        if (period > 0) {
            PeriodicTtl periodic = PeriodicTtl.of(period, defaults.maxLeaseTtl(), explicitMax);
            ttl = periodic.ttl();
            periodic.warning().ifPresent(warnings::add);
        } else if (ttl > 0 || !rootToken) {
            if (ttl == 0) {
                ttl = defaults.defaultLeaseTtl();
            }
            if (explicitMax > 0 && ttl > explicitMax) {
                ttl = explicitMax;
                warnings.add("Explicit max TTL is less than the requested TTL; the TTL was lowered to it");
            }
            if (ttl > defaults.maxLeaseTtl()) {
                ttl = defaults.maxLeaseTtl();
                warnings.add("TTL of " + f.seconds("ttl") + "s is greater than the system max TTL; capped at "
                        + defaults.maxLeaseTtl() + "s");
            }
        }
        if (ttl == 0 && explicitMax > 0) {
            ttl = explicitMax; // a root token is still bound by its explicit maximum
        }
        if (ttl == 0) {
            if (parentEntry.expireTime() != 0) {
                throw EngineException.user("expiring root tokens cannot create non-expiring root tokens");
            }
            renewable = false;
        }
        long now = clock.getAsLong();
        TokenEntry entry = new TokenEntry(TokenStore.newAccessor(), granted, creationPath, f.stringMap("meta"),
                DisplayNames.forCreatedToken(f.string("display_name")), (int) Math.min(numUses, Integer.MAX_VALUE),
                orphan, orphan ? "" : parentEntry.accessor(), now / 1000, ttl,
                ttl == 0 ? 0 : now + ttl * 1000L, explicitMax, period, renewable, 0L,
                role == null ? "" : role.name());
        String token = tokens.create(entry, f.string("id"));
        Response response = Response.envelopeOnly().withAuth(authBlock(token, entry, ttl));
        warnings.forEach(response::withWarning);
        for (String p : granted) {
            if (!policies.exists(p)) {
                response.withWarning("Policy " + GoFormat.q(p) + " does not exist");
            }
        }
        return response;
    }

    /**
     * The new token's policies, in Vault's order of rules: a role with policy lists decides alone
     * (what is asked must be allowed by name or glob, nothing disallowed; without a request, the
     * role's allowed list or else the parent's policies); otherwise no request inherits the
     * parent's, and a request beyond the parent's needs sudo. {@code default} is added unless
     * refused, and {@code root} only ever comes from a root parent.
     */
    private static List<String> policies(Fields f, TokenEntry parent, TokenRole role, boolean sudo) {
        List<String> requested = f.strings("policies");
        boolean noDefault = f.bool("no_default_policy") || (role != null && role.tokenNoDefaultPolicy());
        List<String> chosen;
        boolean addDefault = false;
        if (role != null && role.listsPolicies()) {
            boolean localDefault = !noDefault && !role.disallowedPolicies().contains("default")
                    && !PolicyNames.matchesAny(role.disallowedPoliciesGlob(), "default");
            chosen = requested.isEmpty() ? List.of() : PolicyNames.sanitized(requested, localDefault);
            if (!role.allowedPolicies().isEmpty() || !role.allowedPoliciesGlob().isEmpty()) {
                List<String> allowed = PolicyNames.sanitized(role.allowedPolicies(), localDefault);
                if (chosen.isEmpty()) {
                    chosen = allowed;
                } else {
                    for (String p : chosen) {
                        if (!allowed.contains(p) && !PolicyNames.matchesAny(role.allowedPoliciesGlob(), p)) {
                            throw EngineException.user("token policies (" + goList(chosen)
                                    + ") must be subset of the role's allowed policies (" + goList(allowed)
                                    + ") or glob policies (" + goList(role.allowedPoliciesGlob()) + ")");
                        }
                    }
                }
            } else if (chosen.isEmpty()) {
                chosen = PolicyNames.sanitized(parent.policies(), localDefault);
            }
            for (String p : chosen) {
                if (role.disallowedPolicies().contains(p) || PolicyNames.matchesAny(role.disallowedPoliciesGlob(), p)) {
                    throw EngineException.user("token policy " + GoFormat.q(p) + " is disallowed by this role");
                }
            }
        } else if (requested.isEmpty()) {
            chosen = PolicyNames.sanitized(parent.policies(), false);
        } else if (!sudo) {
            chosen = requested;
            List<String> asked = PolicyNames.sanitized(requested, false);
            List<String> own = PolicyNames.sanitized(parent.policies(), false);
            if (!own.containsAll(asked)) {
                throw EngineException.user("child policies must be subset of parent");
            }
            addDefault = !noDefault && parent.policies().contains("default");
        } else {
            chosen = requested;
            addDefault = !noDefault;
        }
        List<String> out = new ArrayList<>(PolicyNames.sanitized(chosen, addDefault));
        if (noDefault) {
            out.remove("default");
        }
        for (String p : out) {
            if (!PolicyStore.assignable(p)) {
                throw EngineException.user("cannot assign policy " + GoFormat.q(p));
            }
        }
        if (out.contains("root") && !parent.isRoot()) {
            // sudo on the create path is not enough to mint root: that would escalate
            throw EngineException.user("root tokens may not be created without parent token being root");
        }
        return out;
    }

    /** A list as Go's {@code %q} prints a slice of strings: {@code ["a" "b"]}. */
    private static String goList(List<String> items) {
        StringBuilder out = new StringBuilder("[");
        for (String item : items) {
            out.append(out.length() == 1 ? "" : " ").append(GoFormat.q(item));
        }
        return out.append(']').toString();
    }

    private Response renewSelf(Request r, Fields f) {
        return renewed(renewWithin(caller(r), f.seconds("increment")), r.clientToken());
    }

    /** Renews a token; one a login made only as its auth method still allows, within its login's limits. */
    private TokenStore.Renewal renewWithin(TokenStore.Resolved t, long increment) {
        Optional<LoginLimits> limits = t.entry().expireTime() == 0 ? Optional.empty() : loginCheck.apply(t.entry());
        return tokens.renew(t, increment, defaults.maxLeaseTtl(), limits.map(LoginLimits::ttl).orElse(0L),
                limits.map(LoginLimits::maxTtl).orElse(0L));
    }

    private Response renew(Request r, Fields f) {
        String token = f.string("token").isEmpty() ? r.clientToken() : f.string("token");
        TokenStore.Resolved t = tokens.lookup(token).orElseThrow(() -> EngineException.user("token not found"));
        return renewed(renewWithin(t, f.seconds("increment")), token);
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
        auth.put("entity_id", e.entityId());
        auth.put("token_type", "service");
        auth.put("orphan", e.orphan());
        auth.put("mfa_requirement", null);
        auth.put("num_uses", Math.max(0, e.numUses()));
        return auth;
    }

    private TokenStore.Resolved byAccessor(Fields f) {
        String accessor = f.string("accessor");
        if (accessor.isEmpty()) {
            throw EngineException.user("missing accessor");
        }
        return tokens.lookupByAccessor(accessor).filter(t -> !t.entry().isExpiredAt(clock.getAsLong()))
                .orElseThrow(() -> EngineException.user("invalid accessor"));
    }

    /** What {@code lookup} answers, without the token itself: the caller holds only its accessor. */
    private Response lookupAccessor(Request r, Fields f) {
        Map<String, Object> d = describe(byAccessor(f));
        d.put("id", "");
        return Response.of(d);
    }

    private Response renewAccessor(Request r, Fields f) {
        TokenStore.Resolved t = byAccessor(f);
        return renewed(renewWithin(t, f.seconds("increment")), "");
    }

    /** An unknown accessor is not an error here, as in Vault: the answer only warns. */
    private Response revokeAccessor(Request r, Fields f) {
        String accessor = f.string("accessor");
        if (accessor.isEmpty()) {
            throw EngineException.user("missing accessor");
        }
        Optional<TokenStore.Resolved> t = tokens.lookupByAccessor(accessor);
        if (t.isEmpty()) {
            return Response.envelopeOnly().withWarning("No token found with this accessor");
        }
        tokens.revoke(t.get());
        return Response.empty();
    }

    private Response listAccessors(Request r, Fields f) {
        List<String> accessors = tokens.accessors();
        return accessors.isEmpty() ? Response.empty() : Response.of(Map.of("keys", accessors));
    }

    /**
     * Revokes a token and its leases but leaves its children, now orphans. The handler demands sudo
     * on the path itself, as Vault's does, whichever form of the path was called.
     */
    private Response revokeOrphan(Request r, Fields f) {
        TokenEntry caller = caller(r).entry();
        if (!caller.isRoot() && !aclOf.apply(caller).hasSudo("auth/token/" + r.path())) {
            throw EngineException.user("root or sudo privileges required to revoke and orphan");
        }
        String token = f.string("token");
        if (token.isEmpty()) {
            throw EngineException.user("missing token");
        }
        tokens.lookup(token).ifPresent(tokens::revokeOrphan);
        return Response.empty();
    }

    private Response tidy(Request r, Fields f) {
        background.execute(() -> {
            try {
                TokenStore.Tidied t = tokens.tidy();
                LOG.info(() -> "token tidy: " + t.expired() + " expired tokens revoked, " + t.danglingIndexes()
                        + " dangling index entries removed, " + t.orphansRevoked() + " tokens of revoked parents revoked");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "token tidy failed", e);
            }
        });
        return Response.envelopeOnly().withStatus(202).withWarning("Tidy operation successfully started. Any "
                + "information from the operation will be printed to Vault's server logs.");
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
        d.put("entity_id", e.entityId());
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
        if (!e.role().isEmpty()) {
            d.put("role", e.role());
        }
        d.put("ttl", e.expireTime() == 0 ? 0 : Math.max(0, (e.expireTime() - now) / 1000));
        d.put("type", "service");
        return d;
    }
}
