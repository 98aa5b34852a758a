package dev.latchkey.api.auth;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.framework.Login;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.net.CidrList;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.SaltedHash;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Vault's {@code approle} auth method: roles with a role ID, secret IDs generated or chosen, and
 * {@code login} with both. Secret IDs are stored only as salted hashes, found by hash or by their
 * accessor; role IDs (identifiers, not secrets) are indexed by hash. A limited-use secret ID loses a use by one atomic update
 * before anything else is checked, so two logins can never spend its last use twice.
 *
 * <p>Departing from Vault: an expired secret ID is refused at login (Vault lets it in until its
 * once-a-minute tidy removes it), and errors Vault answers with a 500 (a bad CIDR, a role ID in
 * use, a secret ID registered twice) are 400s with its words.
 */
public final class AppRoleBackend extends LogicalBackend {
    public static final String TYPE = "approle";
    private static final String ROLE = "role/";
    private static final String ROLE_ID = "role-id/";
    private static final String SECRET = "secret-id/";
    private static final String ACCESSOR = "accessor/";
    private static final String NEVER = "0001-01-01T00:00:00Z";

    private final Storage storage;
    private final SaltedHash hashes;
    private final LongSupplier clock;

    private record Role(String name, String roleId, boolean bindSecretId, List<String> secretIdBoundCidrs,
                        long secretIdNumUses, long secretIdTtl, boolean localSecretIds, TokenFields token) {
        Map<String, Object> toStorage() {
            Map<String, Object> m = new LinkedHashMap<>(token.toStorage());
            m.put("name", name);
            m.put("role_id", roleId);
            m.put("bind_secret_id", bindSecretId);
            m.put("secret_id_bound_cidrs", secretIdBoundCidrs);
            m.put("secret_id_num_uses", secretIdNumUses);
            m.put("secret_id_ttl", secretIdTtl);
            m.put("local_secret_ids", localSecretIds);
            return m;
        }

        @SuppressWarnings("unchecked")
        static Role fromStorage(Map<String, Object> m) {
            return new Role((String) m.get("name"), (String) m.get("role_id"),
                    !Boolean.FALSE.equals(m.get("bind_secret_id")),
                    (List<String>) m.getOrDefault("secret_id_bound_cidrs", List.of()), JsonValues.longValue(m, "secret_id_num_uses"),
                    JsonValues.longValue(m, "secret_id_ttl"), Boolean.TRUE.equals(m.get("local_secret_ids")), TokenFields.fromStorage(m));
        }
    }

    public AppRoleBackend(Storage storage, LongSupplier clockMillis) {
        this.storage = storage;
        this.hashes = new SaltedHash(storage, "salt");
        this.clock = clockMillis;
        String role = "role/(?<role>" + PathSpec.NAME + ")";
        register(PathSpec.path("role/?").on(Operation.LIST, this::listRoles));
        register(TokenFields.declare(PathSpec.path(role).capture("role", "role_name"))
                .field("bind_secret_id", FieldType.BOOL).field("secret_id_bound_cidrs", FieldType.COMMA_STRING_SLICE)
                .field("bound_cidr_list", FieldType.COMMA_STRING_SLICE).field("secret_id_num_uses", FieldType.INT)
                .field("secret_id_ttl", FieldType.DURATION).field("local_secret_ids", FieldType.BOOL)
                .field("role_id", FieldType.STRING)
                .existence(f -> role(f.string("role_name")).isPresent())
                .on(Operation.UPDATE, this::writeRole).on(Operation.READ, this::readRole)
                .on(Operation.DELETE, this::deleteRole));
        register(PathSpec.path(role + "/role-id").capture("role", "role_name").field("role_id", FieldType.STRING)
                .on(Operation.READ, this::readRoleId).on(Operation.UPDATE, this::writeRoleId));
        PathSpec generate = PathSpec.path(role + "/secret-id/?").capture("role", "role_name")
                .field("metadata", FieldType.STRING).field("cidr_list", FieldType.COMMA_STRING_SLICE)
                .field("token_bound_cidrs", FieldType.COMMA_STRING_SLICE).field("num_uses", FieldType.INT)
                .field("ttl", FieldType.DURATION)
                .on(Operation.UPDATE, (r, f) -> generate(r, f, null)).on(Operation.LIST, this::listSecretIds);
        register(generate);
        register(PathSpec.path(role + "/custom-secret-id").capture("role", "role_name")
                .field("secret_id", FieldType.STRING).field("metadata", FieldType.STRING)
                .field("cidr_list", FieldType.COMMA_STRING_SLICE).field("token_bound_cidrs", FieldType.COMMA_STRING_SLICE)
                .field("num_uses", FieldType.INT).field("ttl", FieldType.DURATION)
                .on(Operation.UPDATE, (r, f) -> generate(r, f, f.string("secret_id"))));
        register(PathSpec.path(role + "/secret-id/lookup").capture("role", "role_name")
                .field("secret_id", FieldType.STRING).on(Operation.UPDATE, this::lookupSecret));
        register(PathSpec.path(role + "/secret-id/destroy").capture("role", "role_name")
                .field("secret_id", FieldType.STRING)
                .on(Operation.UPDATE, this::destroySecret).on(Operation.DELETE, this::destroySecret));
        register(PathSpec.path(role + "/secret-id-accessor/lookup").capture("role", "role_name")
                .field("secret_id_accessor", FieldType.STRING).on(Operation.UPDATE, this::lookupAccessor));
        register(PathSpec.path(role + "/secret-id-accessor/destroy").capture("role", "role_name")
                .field("secret_id_accessor", FieldType.STRING)
                .on(Operation.UPDATE, this::destroyAccessor).on(Operation.DELETE, this::destroyAccessor));
        register(PathSpec.path("tidy/secret-id").on(Operation.UPDATE, this::tidy));
        register(PathSpec.path("login").field("role_id", FieldType.STRING).field("secret_id", FieldType.STRING)
                .unauthenticated().on(Operation.UPDATE, this::login));
    }

    @Override
    public String type() {
        return TYPE;
    }


    private Optional<Role> role(String name) {
        return storage.get(ROLE + name.toLowerCase(Locale.ROOT)).map(b -> Role.fromStorage(JsonValues.decode(b)));
    }

    private Role existingRole(Fields f) {
        String name = f.string("role_name");
        return role(name).orElseThrow(() -> EngineException.user("role " + GoFormat.q(name.toLowerCase(Locale.ROOT))
                + " does not exist"));
    }

    // ---- roles

    private Response listRoles(Request r, Fields f) {
        List<String> names = storage.list(ROLE).stream().filter(n -> !n.endsWith("/")).sorted().toList();
        return names.isEmpty() ? Response.empty() : Response.of(Map.of("keys", names));
    }

    private Response writeRole(Request r, Fields f) {
        String name = f.string("role_name").toLowerCase(Locale.ROOT);
        Optional<Role> was = role(name);
        List<String> warnings = new ArrayList<>();
        if (was.isPresent() && f.has("local_secret_ids") && f.bool("local_secret_ids") != was.get().localSecretIds()) {
            throw EngineException.user("local_secret_ids can only be modified during role creation");
        }
        String typeAsked = f.has("token_type") ? f.string("token_type") : null;
        Fields tokenInput = f;
        if ("default-service".equals(typeAsked)) {
            warnings.add("default-service has no useful meaning; adjusting to service");
            tokenInput = f.with("token_type", "service");
        }
        TokenFields token = was.map(Role::token).orElse(TokenFields.NONE).updated(tokenInput);
        List<String> cidrs = f.has("secret_id_bound_cidrs") ? f.strings("secret_id_bound_cidrs")
                : f.has("bound_cidr_list") ? f.strings("bound_cidr_list")
                : was.map(Role::secretIdBoundCidrs).orElse(List.of());
        for (String c : cidrs) {
            if (!c.contains("/")) {
                throw EngineException.user("failed to validate CIDR blocks: invalid CIDR address: " + c);
            }
            try {
                dev.latchkey.engine.net.Cidr.parse(c);
            } catch (RuntimeException e) {
                throw EngineException.user("failed to validate CIDR blocks: invalid CIDR address: " + c);
            }
        }
        long uses = f.has("secret_id_num_uses") ? f.integer("secret_id_num_uses") : was.map(Role::secretIdNumUses).orElse(0L);
        if (uses < 0) {
            throw EngineException.user("secret_id_num_uses cannot be negative");
        }
        long maxTtl = r.mount() == null ? 0 : r.mount().maxLeaseTtl();
        if (f.has("period") && maxTtl > 0 && f.seconds("period") > maxTtl) {
            throw EngineException.user("period of " + GoFormat.q(Durations.format(f.seconds("period")))
                    + " is greater than the backend's maximum lease TTL of " + GoFormat.q(Durations.format(maxTtl)));
        }
        if (maxTtl > 0 && token.maxTtl() > maxTtl) {
            warnings.add("token_max_ttl is greater than the backend mount's maximum TTL value; issued tokens' max TTL "
                    + "value will be truncated");
        }
        boolean bind = f.has("bind_secret_id") ? f.bool("bind_secret_id") : was.map(Role::bindSecretId).orElse(true);
        if (!bind && cidrs.isEmpty() && token.boundCidrs().isEmpty()) {
            throw EngineException.user("at least one constraint should be enabled on the role");
        }
        String roleId = was.map(Role::roleId).orElse(null);
        if (f.has("role_id") || roleId == null) {
            String wanted = f.has("role_id") ? f.string("role_id") : UUID.randomUUID().toString();
            if (wanted.isEmpty()) {
                throw EngineException.user("invalid role_id supplied, or failed to generate a role_id");
            }
            claimRoleId(name, wanted, roleId);
            roleId = wanted;
        }
        Role role = new Role(name, roleId, bind, cidrs, uses,
                f.has("secret_id_ttl") ? f.seconds("secret_id_ttl") : was.map(Role::secretIdTtl).orElse(0L),
                was.map(Role::localSecretIds).orElse(f.bool("local_secret_ids")), token);
        storage.put(ROLE + name, JsonValues.encode(role.toStorage()));
        if (warnings.isEmpty()) {
            return Response.empty();
        }
        Response response = Response.envelopeOnly();
        warnings.forEach(response::withWarning);
        return response;
    }

    /** Points the role ID's index at this role, refusing one another role holds, and frees the previous one. */
    private void claimRoleId(String roleName, String roleId, String previous) {
        if (roleId.equals(previous)) {
            return;
        }
        if (!storage.putIfAbsent(ROLE_ID + hashes.of(roleId), roleName.getBytes(StandardCharsets.UTF_8))) {
            throw EngineException.user("role_id already in use");
        }
        if (previous != null) {
            storage.delete(ROLE_ID + hashes.of(previous));
        }
    }

    private Response readRole(Request r, Fields f) {
        Optional<Role> role = role(f.string("role_name"));
        if (role.isEmpty()) {
            return Response.empty();
        }
        Role x = role.get();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("bind_secret_id", x.bindSecretId());
        d.put("local_secret_ids", x.localSecretIds());
        d.put("secret_id_bound_cidrs", x.secretIdBoundCidrs());
        d.put("secret_id_num_uses", x.secretIdNumUses());
        d.put("secret_id_ttl", x.secretIdTtl());
        x.token().describe(d);
        if ("service".equals(x.token().type())) {
            d.put("token_type", "service");
        }
        return Response.of(d);
    }

    private Response deleteRole(Request r, Fields f) {
        String name = f.string("role_name").toLowerCase(Locale.ROOT);
        role(name).ifPresent(role -> {
            for (String hash : storage.list(SECRET + name + "/")) {
                deleteSecret(name, hash);
            }
            storage.delete(ROLE_ID + hashes.of(role.roleId()));
            storage.delete(ROLE + name);
        });
        return Response.empty();
    }

    // ---- role ID

    /** The role ID, which is an identifier (the alias of the role's logins), not a secret: the secret ID is. */
    private Response readRoleId(Request r, Fields f) {
        return role(f.string("role_name")).map(x -> Response.of(Map.of("role_id", x.roleId()))).orElse(Response.empty());
    }

    private Response writeRoleId(Request r, Fields f) {
        String roleId = f.string("role_id");
        if (roleId.isEmpty()) {
            throw EngineException.user("missing role_id");
        }
        Role role = role(f.string("role_name")).orElseThrow(EngineException::unsupportedPath);
        claimRoleId(role.name(), roleId, role.roleId());
        storage.put(ROLE + role.name(), JsonValues.encode(new Role(role.name(), roleId, role.bindSecretId(),
                role.secretIdBoundCidrs(), role.secretIdNumUses(), role.secretIdTtl(), role.localSecretIds(),
                role.token()).toStorage()));
        return Response.empty();
    }

    // ---- secret IDs

    private Response generate(Request r, Fields f, String chosen) {
        Role role = role(f.string("role_name")).orElseThrow(() -> new EngineException(EngineException.Kind.NOT_FOUND,
                "role " + GoFormat.q(f.string("role_name").toLowerCase(Locale.ROOT)) + " does not exist"));
        if (!role.bindSecretId()) {
            throw EngineException.user("bind_secret_id is not set on the role");
        }
        long uses = f.integer("num_uses");
        if (uses < 0) {
            throw EngineException.user("num_uses cannot be negative");
        }
        if (role.secretIdNumUses() > 0 && (uses == 0 || uses > role.secretIdNumUses())) {
            throw EngineException.user("num_uses cannot be higher than the role's secret_id_num_uses");
        }
        long ttl = f.has("ttl") ? f.seconds("ttl") : 0;
        if (role.secretIdTtl() > 0 && (ttl == 0 || ttl > role.secretIdTtl())) {
            if (f.has("ttl") && ttl != 0) {
                throw EngineException.user("ttl cannot be longer than the role's secret_id_ttl");
            }
        }
        if (ttl == 0) {
            ttl = role.secretIdTtl();
        }
        long mountMax = r.mount() == null ? 0 : r.mount().maxLeaseTtl();
        if (mountMax > 0 && ttl > mountMax) {
            ttl = mountMax;
        }
        List<String> cidrs = checkedCidrs(f.strings("cidr_list"), "failed to validate CIDR blocks");
        List<String> tokenCidrs = checkedCidrs(f.strings("token_bound_cidrs"), "failed to validate token CIDR blocks");
        Map<String, String> metadata = metadata(f.string("metadata"));
        if (chosen != null && chosen.isEmpty()) {
            throw EngineException.user("missing secret_id");
        }
        String secretId = chosen == null ? UUID.randomUUID().toString() : chosen;
        String accessor = UUID.randomUUID().toString();
        String hash = hashes.of(secretId);
        long now = clock.getAsLong();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("accessor", accessor);
        entry.put("num_uses", uses);
        entry.put("ttl", ttl);
        entry.put("created", now);
        entry.put("expires", ttl == 0 ? 0 : now + ttl * 1000L);
        entry.put("updated", now);
        entry.put("metadata", metadata);
        entry.put("cidr_list", cidrs);
        entry.put("token_bound_cidrs", tokenCidrs);
        if (!storage.putIfAbsent(SECRET + role.name() + "/" + hash, JsonValues.encode(entry))) {
            throw EngineException.user("failed to store secret_id: SecretID is already registered");
        }
        storage.put(ACCESSOR + accessor, (role.name() + "/" + hash).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("secret_id", secretId);
        d.put("secret_id_accessor", accessor);
        d.put("secret_id_num_uses", uses);
        d.put("secret_id_ttl", ttl);
        return Response.of(d);
    }

    private static List<String> checkedCidrs(List<String> cidrs, String error) {
        for (String c : cidrs) {
            try {
                dev.latchkey.engine.net.Cidr.parse(c.contains("/") ? c : c + (c.contains(":") ? "/128" : "/32"));
            } catch (RuntimeException e) {
                throw EngineException.user(error);
            }
        }
        return cidrs;
    }

    /** Secret-ID metadata as Vault takes it: a JSON object, the same in base64, or {@code k=v,k2=v2}. */
    static Map<String, String> metadata(String text) {
        if (text.isBlank()) {
            return Map.of();
        }
        String t = text.strip();
        if (!t.startsWith("{")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(t), StandardCharsets.UTF_8).strip();
                if (decoded.startsWith("{")) {
                    t = decoded;
                }
            } catch (IllegalArgumentException notBase64) {
                // k=v pairs, below
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (t.startsWith("{")) {
            Map<String, Object> m;
            try {
                m = JsonValues.decode(t.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw EngineException.user("failed to parse metadata: " + e.getMessage());
            }
            for (Map.Entry<String, Object> e : m.entrySet()) {
                if (!(e.getValue() instanceof String s)) {
                    throw EngineException.user("failed to parse metadata: value of " + GoFormat.q(e.getKey())
                            + " is not a string");
                }
                out.put(e.getKey(), s);
            }
            return out;
        }
        for (String pair : t.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw EngineException.user("failed to parse metadata: " + GoFormat.q(pair) + " is not key=value");
            }
            out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return out;
    }

    private Optional<Map<String, Object>> secret(String roleName, String hash) {
        return storage.get(SECRET + roleName + "/" + hash).map(JsonValues::decode);
    }

    private void deleteSecret(String roleName, String hash) {
        secret(roleName, hash).ifPresent(e -> storage.delete(ACCESSOR + e.get("accessor")));
        storage.delete(SECRET + roleName + "/" + hash);
    }

    private Map<String, Object> describeSecret(Map<String, Object> e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cidr_list", e.getOrDefault("cidr_list", List.of()));
        d.put("creation_time", time(JsonValues.longValue(e, "created")));
        d.put("expiration_time", JsonValues.longValue(e, "expires") == 0 ? NEVER : time(JsonValues.longValue(e, "expires")));
        d.put("last_updated_time", time(JsonValues.longValue(e, "updated")));
        d.put("metadata", e.getOrDefault("metadata", Map.of()));
        d.put("secret_id_accessor", e.get("accessor"));
        d.put("secret_id_num_uses", JsonValues.longValue(e, "num_uses"));
        d.put("secret_id_ttl", JsonValues.longValue(e, "ttl"));
        d.put("token_bound_cidrs", e.getOrDefault("token_bound_cidrs", List.of()));
        return d;
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private Response lookupSecret(Request r, Fields f) {
        Role role = existingRole(f);
        if (f.string("secret_id").isEmpty()) {
            throw EngineException.user("missing secret_id");
        }
        return secret(role.name(), hashes.of(f.string("secret_id").strip())).map(e -> Response.of(describeSecret(e)))
                .orElse(Response.empty());
    }

    private Response destroySecret(Request r, Fields f) {
        Role role = existingRole(f);
        if (f.string("secret_id").isEmpty()) {
            throw EngineException.user("missing secret_id");
        }
        deleteSecret(role.name(), hashes.of(f.string("secret_id").strip()));
        return Response.empty();
    }

    private Optional<String> secretByAccessor(Role role, String accessor) {
        return storage.get(ACCESSOR + accessor).map(b -> new String(b, StandardCharsets.UTF_8))
                .filter(k -> k.startsWith(role.name() + "/")).map(k -> k.substring(role.name().length() + 1));
    }

    private Response lookupAccessor(Request r, Fields f) {
        Role role = existingRole(f);
        String accessor = f.string("secret_id_accessor");
        if (accessor.isEmpty()) {
            throw EngineException.user("missing secret_id_accessor");
        }
        Optional<Map<String, Object>> e = secretByAccessor(role, accessor).flatMap(h -> secret(role.name(), h));
        if (e.isEmpty()) {
            throw new EngineException(EngineException.Kind.NOT_FOUND,
                    "failed to find accessor entry for secret_id_accessor: " + GoFormat.q(accessor));
        }
        return Response.of(describeSecret(e.get()));
    }

    private Response destroyAccessor(Request r, Fields f) {
        Role role = existingRole(f);
        String accessor = f.string("secret_id_accessor");
        if (accessor.isEmpty()) {
            throw EngineException.user("missing secret_id_accessor");
        }
        String hash = secretByAccessor(role, accessor).orElseThrow(() -> EngineException.user(
                "failed to find accessor entry for secret_id_accessor: " + GoFormat.q(accessor)));
        deleteSecret(role.name(), hash);
        return Response.empty();
    }

    private Response listSecretIds(Request r, Fields f) {
        Role role = existingRole(f);
        List<String> accessors = new ArrayList<>();
        for (String hash : storage.list(SECRET + role.name() + "/")) {
            secret(role.name(), hash).ifPresent(e -> accessors.add((String) e.get("accessor")));
        }
        accessors.sort(null);
        return accessors.isEmpty() ? Response.empty() : Response.of(Map.of("keys", accessors));
    }

    /** Removes expired secret IDs and accessor entries that name none; answers at once, as Vault does. */
    private Response tidy(Request r, Fields f) {
        long now = clock.getAsLong();
        for (String roleDir : storage.list(SECRET)) {
            String roleName = roleDir.endsWith("/") ? roleDir.substring(0, roleDir.length() - 1) : roleDir;
            for (String hash : storage.list(SECRET + roleName + "/")) {
                secret(roleName, hash).filter(e -> JsonValues.longValue(e, "expires") > 0 && JsonValues.longValue(e, "expires") <= now)
                        .ifPresent(e -> deleteSecret(roleName, hash));
            }
        }
        for (String accessor : storage.list(ACCESSOR)) {
            storage.get(ACCESSOR + accessor).map(b -> new String(b, StandardCharsets.UTF_8))
                    .filter(k -> storage.get(SECRET + k).isEmpty()).ifPresent(k -> storage.delete(ACCESSOR + accessor));
        }
        return Response.envelopeOnly().withStatus(202).withWarning("Tidy operation successfully started. Any "
                + "information from the operation will be printed to Vault's server logs.");
    }

    // ---- login

    private Response login(Request r, Fields f) {
        String roleId = f.string("role_id").strip();
        if (roleId.isEmpty()) {
            throw EngineException.user("missing role_id");
        }
        Optional<Role> found = storage.get(ROLE_ID + hashes.of(roleId)).map(b -> new String(b, StandardCharsets.UTF_8))
                .flatMap(this::role);
        if (found.isEmpty()) {
            throw EngineException.user("invalid role or secret ID");
        }
        Role role = found.get();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<String> tokenCidrs = role.token().boundCidrs();
        if (role.bindSecretId()) {
            String secretId = f.string("secret_id").strip();
            if (secretId.isEmpty()) {
                throw EngineException.user("missing secret_id");
            }
            Map<String, Object> entry = spend(role, hashes.of(secretId))
                    .orElseThrow(() -> EngineException.invalidCredentials("invalid role or secret ID"));
            boolean limited = JsonValues.longValue(entry, "num_uses") != 0 || Boolean.TRUE.equals(entry.get("spent"));
            @SuppressWarnings("unchecked")
            List<String> cidrs = (List<String>) entry.getOrDefault("cidr_list", List.of());
            if (!cidrs.isEmpty() && !CidrList.anyContainsAddress(cidrs, r.clientAddress())) {
                throw EngineException.user("source address " + GoFormat.q(r.clientAddress()) + (limited
                        ? " unauthorized by CIDR restrictions on the secret ID: %!w(<nil>)"
                        : " unauthorized through CIDR restrictions on the secret ID"));
            }
            @SuppressWarnings("unchecked")
            Map<String, String> m = (Map<String, String>) entry.getOrDefault("metadata", Map.of());
            metadata.putAll(m);
            @SuppressWarnings("unchecked")
            List<String> own = (List<String>) entry.getOrDefault("token_bound_cidrs", List.of());
            if (!own.isEmpty()) {
                tokenCidrs = own;
            }
        }
        if (!role.secretIdBoundCidrs().isEmpty() && !CidrList.anyContainsAddress(role.secretIdBoundCidrs(), r.clientAddress())) {
            throw EngineException.user("source address " + GoFormat.q(r.clientAddress())
                    + " unauthorized by CIDR restrictions on the role: %!w(<nil>)");
        }
        metadata.put("role_name", role.name());
        TokenFields t = role.token();
        TokenFields withCidrs = new TokenFields(t.ttl(), t.maxTtl(), t.explicitMaxTtl(), t.period(), t.policies(),
                tokenCidrs, t.noDefaultPolicy(), t.numUses(), t.type());
        return Response.login(withCidrs.login(roleId, metadata, metadata, ""));
    }

    /**
     * The secret ID's entry, one use spent first when its uses are limited (the entry is deleted
     * with its last); empty when there is no such secret ID for the role, or it has expired.
     */
    private Optional<Map<String, Object>> spend(Role role, String hash) {
        String key = SECRET + role.name() + "/" + hash;
        long now = clock.getAsLong();
        @SuppressWarnings("unchecked")
        Map<String, Object>[] seen = new Map[1];
        storage.update(key, current -> {
            seen[0] = null;
            if (current == null) {
                return null;
            }
            Map<String, Object> e = new LinkedHashMap<>(JsonValues.decode(current));
            if (JsonValues.longValue(e, "expires") > 0 && JsonValues.longValue(e, "expires") <= now) {
                return current; // expired: refused here, removed by the tidy
            }
            seen[0] = e;
            long uses = JsonValues.longValue(e, "num_uses");
            if (uses == 0) {
                return current;
            }
            if (uses == 1) {
                e.put("spent", true);
                return null;
            }
            e.put("num_uses", uses - 1);
            e.put("updated", now);
            return JsonValues.encode(e);
        });
        if (seen[0] != null && Boolean.TRUE.equals(seen[0].get("spent"))) {
            storage.delete(ACCESSOR + seen[0].get("accessor"));
        }
        return Optional.ofNullable(seen[0]);
    }

    /** A role's token renews while the role exists, within its current TTLs. */
    @Override
    public Optional<Login> renewLogin(String loginPath, Map<String, String> meta, List<String> tokenPolicies) {
        String name = meta.getOrDefault("role_name", "");
        Role role = role(name).orElseThrow(() -> EngineException.user("role " + GoFormat.q(name)
                + " does not exist during renewal"));
        return Optional.of(role.token().login(role.roleId(), meta, meta, ""));
    }

    @Override
    public Optional<String> lockoutAlias(Request request) {
        if (request.path().equals("login")) {
            Object roleId = request.rawFields().get("role_id");
            return roleId instanceof String s && !s.isBlank() ? Optional.of(s.strip()) : Optional.empty();
        }
        return Optional.empty();
    }
}
