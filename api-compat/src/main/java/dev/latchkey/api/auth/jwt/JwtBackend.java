package dev.latchkey.api.auth.jwt;

import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.SaltedHash;
import dev.latchkey.engine.storage.Storage;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Vault's JWT/OIDC auth method (the one plugin behind the {@code jwt} and {@code oidc} types):
 * {@code config}, roles, JWT {@code login}, and the OIDC browser flow ({@code oidc/auth_url},
 * {@code oidc/callback}) that {@code vault login -method=oidc} drives, with state, nonce and PKCE.
 *
 * <p>Departing from Vault: the browser flow's pending requests are kept in the mount's storage
 * (taken once, atomically) rather than in one node's memory, so the callback may reach any member
 * of a cluster; the form_post mode, the implicit flow, {@code jwks_pairs}, provider-specific group
 * fetching and external groups are not supported yet and are refused when configured.
 */
public final class JwtBackend extends LogicalBackend {
    private static final Logger LOG = Logger.getLogger(JwtBackend.class.getName());
    private static final String CONFIG = "config";
    private static final String ROLE = "role/";
    private static final String STATE = "oidc-state/";
    private static final long STATE_MILLIS = 10 * 60_000L;

    private final String type;
    private final Storage storage;
    private final LongSupplier clock;
    private final SaltedHash hashes;
    private volatile Loaded loaded = new Loaded(null, null, null, null);

    /** The configuration as last read, with the key source and discovery made from it. */
    private record Loaded(byte[] raw, JwtConfig config, KeySource keys, Discovery discovery) {
    }

    public JwtBackend(String type, Storage storage, LongSupplier clockMillis) {
        this.type = type;
        this.storage = storage;
        this.clock = clockMillis;
        this.hashes = new SaltedHash(storage, "salt");
        register(JwtConfig.declare(PathSpec.path("config")).on(Operation.UPDATE, this::writeConfig)
                .on(Operation.READ, this::readConfig));
        register(PathSpec.path("role/?").on(Operation.LIST, this::listRoles));
        register(JwtRole.declare(PathSpec.path("role/(?<name>" + PathSpec.NAME + ")").capture("name", "name"))
                .existence(f -> role(f.string("name")).isPresent())
                .on(Operation.UPDATE, this::writeRole).on(Operation.READ, this::readRole)
                .on(Operation.DELETE, this::deleteRole));
        register(PathSpec.path("login").field("role", FieldType.STRING).field("jwt", FieldType.STRING)
                .unauthenticated().on(Operation.UPDATE, this::login));
        register(PathSpec.path("oidc/auth_url").field("role", FieldType.STRING).field("redirect_uri", FieldType.STRING)
                .field("client_nonce", FieldType.STRING).unauthenticated().on(Operation.UPDATE, this::authUrl));
        register(PathSpec.path("oidc/callback").field("state", FieldType.STRING).field("code", FieldType.STRING)
                .field("id_token", FieldType.STRING).field("client_nonce", FieldType.STRING)
                .field("nonce", FieldType.STRING).unauthenticated().on(Operation.READ, this::callback));
    }

    @Override
    public String type() {
        return type;
    }

    // ---- config

    private Response writeConfig(Request r, Fields f) {
        JwtConfig config = JwtConfig.from(f);
        storage.put(CONFIG, config.toStorage());
        loaded = new Loaded(null, null, null, null); // every cached key and document goes with the old config
        return Response.empty();
    }

    private Response readConfig(Request r, Fields f) {
        return config().map(l -> Response.of(l.config().describe())).orElse(Response.empty());
    }

    /** The stored configuration with its key source, made again only when the stored bytes change. */
    private Optional<Loaded> config() {
        Optional<byte[]> raw = storage.get(CONFIG);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Loaded l = loaded;
        if (l.raw() != null && java.util.Arrays.equals(l.raw(), raw.get())) {
            return Optional.of(l);
        }
        JwtConfig c = JwtConfig.fromStorage(raw.get());
        KeySource keys;
        Discovery discovery = null;
        if (!c.jwtValidationPubkeys().isEmpty()) {
            keys = KeySource.of(Keys.fromPem(c.jwtValidationPubkeys()));
        } else if (!c.jwksUrl().isEmpty()) {
            keys = KeySource.jwks(c.jwksUrl(), HttpFetch.trusting(c.jwksCaPem()));
        } else {
            HttpFetch http = HttpFetch.trusting(c.oidcDiscoveryCaPem());
            try {
                discovery = Discovery.fetch(c.oidcDiscoveryUrl(), http);
            } catch (IOException | RuntimeException e) {
                throw EngineException.user("error configuring token validator: " + e.getMessage());
            }
            keys = KeySource.jwks(discovery.jwksUri(), http);
        }
        l = new Loaded(raw.get(), c, keys, discovery);
        loaded = l;
        return Optional.of(l);
    }

    // ---- roles

    private Optional<JwtRole> role(String name) {
        return storage.get(ROLE + name.toLowerCase(Locale.ROOT)).map(JwtRole::fromStorage);
    }

    private Response listRoles(Request r, Fields f) {
        List<String> names = storage.list(ROLE).stream().filter(n -> !n.endsWith("/")).sorted().toList();
        return names.isEmpty() ? Response.empty() : Response.of(Map.of("keys", names));
    }

    private Response writeRole(Request r, Fields f) {
        String name = f.string("name").toLowerCase(Locale.ROOT);
        JwtRole role = JwtRole.written(name, role(name).orElse(null), f, r.mount() == null ? 0 : r.mount().maxLeaseTtl());
        storage.put(ROLE + name, role.toStorage());
        return Response.empty();
    }

    private Response readRole(Request r, Fields f) {
        return role(f.string("name")).map(x -> Response.of(x.describe())).orElse(Response.empty());
    }

    private Response deleteRole(Request r, Fields f) {
        storage.delete(ROLE + f.string("name").toLowerCase(Locale.ROOT));
        return Response.empty();
    }

    private JwtRole loginRole(Loaded l, String asked) {
        String name = asked.isEmpty() ? l.config().defaultRole() : asked.toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw EngineException.user("missing role");
        }
        return role(name).orElseThrow(() -> EngineException.user("role " + GoFormat.q(name) + " could not be found"));
    }

    // ---- JWT login

    private Response login(Request r, Fields f) {
        Loaded l = config().orElseThrow(() -> EngineException.user("could not load configuration"));
        JwtRole role = loginRole(l, f.string("role"));
        if (role.roleType().equals("oidc")) {
            throw EngineException.user("role with oidc role_type is not allowed");
        }
        if (f.string("jwt").isEmpty()) {
            throw EngineException.user("missing token");
        }
        if (l.config().oidcFlow()) {
            throw EngineException.user("error configuring token validator: unsupported config type");
        }
        SignedJWT jwt = Claims.parse(f.string("jwt"));
        Map<String, Object> claims = Claims.validate(jwt, l.keys(), l.config().jwtSupportedAlgs(), l.config().boundIssuer(),
                role, clock.getAsLong() / 1000);
        return loginFor(role, Claims.applyRole(claims, role));
    }

    private static Response loginFor(JwtRole role, Claims.Passed passed) {
        return Response.login(role.token().login(passed.user(), passed.metadata(), passed.metadata(), passed.user()));
    }

    /** A token renews while its role exists, within the role's current TTLs. */
    @Override
    public Optional<dev.latchkey.engine.framework.Login> renewLogin(String loginPath, Map<String, String> meta,
                                                                    List<String> tokenPolicies) {
        String name = meta.getOrDefault("role", "");
        JwtRole role = role(name).orElseThrow(() -> EngineException.user("role " + GoFormat.q(name)
                + " could not be found during renewal"));
        return Optional.of(role.token().login("", meta, meta, ""));
    }

    // ---- OIDC browser flow

    private Response authUrl(Request r, Fields f) {
        Loaded l = config().filter(x -> x.config().oidcFlow())
                .orElseThrow(() -> EngineException.user("OIDC login is not configured for this mount"));
        JwtRole role = loginRole(l, f.string("role"));
        String redirect = f.string("redirect_uri");
        if (redirect.isEmpty()) {
            throw EngineException.user("missing redirect_uri");
        }
        if (!redirectAllowed(redirect, role.allowedRedirectUris())) {
            LOG.info(() -> "OIDC auth_url refused: redirect_uri " + redirect + " is not allowed by role " + role.name());
            return Response.of(Map.of("auth_url", ""));
        }
        String state = Randomness.base62(32);
        String nonce = Randomness.base62(32);
        String verifier = Randomness.base62(64);
        Map<String, Object> pending = new LinkedHashMap<>();
        pending.put("role", role.name());
        pending.put("redirect_uri", redirect);
        pending.put("nonce", nonce);
        pending.put("verifier", verifier);
        pending.put("client_nonce", f.string("client_nonce"));
        pending.put("expires", clock.getAsLong() + STATE_MILLIS);
        storage.put(STATE + hashes.of(state), JsonValues.encode(pending));
        Set<String> scopes = new LinkedHashSet<>(List.of("openid"));
        scopes.addAll(role.oidcScopes());
        StringBuilder url = new StringBuilder(l.discovery().authorizationEndpoint());
        url.append(url.indexOf("?") < 0 ? '?' : '&')
                .append("client_id=").append(HttpFetch.urlEncode(l.config().oidcClientId()))
                .append("&code_challenge=").append(challenge(verifier))
                .append("&code_challenge_method=S256")
                .append("&nonce=").append(nonce)
                .append("&redirect_uri=").append(HttpFetch.urlEncode(redirect))
                .append("&response_type=code")
                .append("&scope=").append(HttpFetch.urlEncode(String.join(" ", scopes)))
                .append("&state=").append(state);
        if (role.maxAge() > 0) {
            url.append("&max_age=").append(role.maxAge());
        }
        return Response.of(Map.of("auth_url", url.toString()));
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loopback redirect matches without regard to its port, as Vault matches it; any other exactly (case aside). */
    static boolean redirectAllowed(String redirect, List<String> allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(redirect)) {
                return true;
            }
            try {
                URI want = URI.create(a);
                URI got = URI.create(redirect);
                if (loopback(got.getHost()) && loopback(want.getHost()) && withoutPort(want).equals(withoutPort(got))) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // not a URI: compared as text above
            }
        }
        return false;
    }

    private static boolean loopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }

    private static String withoutPort(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getRawPath() == null ? "" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private Response callback(Request r, Fields f) {
        Loaded l = config().filter(x -> x.config().oidcFlow())
                .orElseThrow(() -> EngineException.user("OIDC login is not configured for this mount"));
        String state = f.string("state");
        Optional<Map<String, Object>> pending = state.isEmpty() ? Optional.empty()
                : storage.take(STATE + hashes.of(state)).map(JsonValues::decode);
        if (pending.isEmpty() || ((Number) pending.get().get("expires")).longValue() < clock.getAsLong()) {
            throw EngineException.user("Vault login failed. Expired or missing OAuth state.");
        }
        Map<String, Object> p = pending.get();
        if (!String.valueOf(p.get("client_nonce")).equals(f.string("client_nonce"))) {
            throw EngineException.user("invalid client_nonce");
        }
        JwtRole role = role(String.valueOf(p.get("role")))
                .orElseThrow(() -> EngineException.user("Vault login failed. Role could not be found"));
        String code = f.string("code");
        if (code.isEmpty()) {
            throw EngineException.user("Vault login failed. Error exchanging oidc code: \"missing code\".");
        }
        String idToken;
        try {
            String form = "grant_type=authorization_code&code=" + HttpFetch.urlEncode(code) + "&redirect_uri="
                    + HttpFetch.urlEncode(String.valueOf(p.get("redirect_uri"))) + "&code_verifier="
                    + HttpFetch.urlEncode(String.valueOf(p.get("verifier")));
            Map<String, Object> answer = JsonValues.decode(HttpFetch.trusting(l.config().oidcDiscoveryCaPem())
                    .postForm(l.discovery().tokenEndpoint(), form, l.config().oidcClientId(), l.config().oidcClientSecret())
                    .getBytes(StandardCharsets.UTF_8));
            if (!(answer.get("id_token") instanceof String t)) {
                throw new IOException("no id_token in the token response");
            }
            idToken = t;
        } catch (IOException | RuntimeException e) {
            throw EngineException.user("Vault login failed. Error exchanging oidc code: " + GoFormat.q(e.getMessage()) + ".");
        }
        SignedJWT jwt;
        Map<String, Object> claims;
        try {
            jwt = Claims.parse(idToken);
            List<String> algs = l.config().jwtSupportedAlgs().isEmpty() ? List.of("RS256") : l.config().jwtSupportedAlgs();
            // the audience must include this client (or one of the role's bound audiences)
            List<String> audiences = new ArrayList<>(role.boundAudiences());
            audiences.add(l.config().oidcClientId());
            JwtRole asClient = new JwtRole(role.name(), role.roleType(), role.userClaim(), role.userClaimJsonPointer(),
                    audiences, "", role.boundClaims(), role.boundClaimsType(), role.claimMappings(), role.groupsClaim(),
                    role.clockSkewLeeway(), role.expirationLeeway(), role.notBeforeLeeway(), role.allowedRedirectUris(),
                    role.oidcScopes(), role.maxAge(), role.token());
            claims = Claims.validate(jwt, l.keys(), algs, l.discovery().issuer(), asClient, clock.getAsLong() / 1000);
            if (!String.valueOf(p.get("nonce")).equals(claims.get("nonce"))) {
                throw EngineException.user("invalid ID token nonce");
            }
            if (role.maxAge() > 0 && !(claims.get("auth_time") instanceof Number)) {
                throw EngineException.user("auth_time claim required when max_age is set");
            }
        } catch (EngineException e) {
            throw EngineException.user("Token verification failed. " + e.getMessage());
        }
        if (!role.boundSubject().isEmpty() && !role.boundSubject().equals(claims.get("sub"))) {
            // Vault answers this with a 500; it is the identity provider's user, not this server's fault
            throw EngineException.user("sub claim does not match bound subject");
        }
        return loginFor(role, Claims.applyRole(claims, role));
    }
}
