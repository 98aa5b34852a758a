package dev.latchkey.api.auth;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Login;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Vault's {@code userpass} auth method: users with a bcrypt-hashed password and token settings,
 * and {@code login/<username>}. Usernames are case-insensitive: stored, looked up and logged in
 * lower-cased. Vault's password and policies sub-paths look a user up without case but save under
 * the name as typed, making a second user login never reads; here they save under the lower-cased
 * name. Each user is one record, replaced whole by each write.
 */
public final class UserpassBackend extends LogicalBackend {
    public static final String TYPE = "userpass";
    private static final String USER = "user/";
    /** The most bytes bcrypt uses; Go's bcrypt refuses a longer password rather than cut it. */
    private static final int MAX_PASSWORD_BYTES = 72;

    private final Storage storage;

    private record User(String passwordHash, TokenFields token) {
        Map<String, Object> toStorage() {
            Map<String, Object> m = new LinkedHashMap<>(token.toStorage());
            m.put("password_hash", passwordHash);
            return m;
        }

        static User fromStorage(Map<String, Object> m) {
            return new User((String) m.get("password_hash"), TokenFields.fromStorage(m));
        }
    }

    public UserpassBackend(Storage storage) {
        this.storage = storage;
        String name = "(?<username>" + PathSpec.NAME + ")";
        register(PathSpec.path("users/?").on(Operation.LIST, this::list));
        register(TokenFields.declare(PathSpec.path("users/" + name).capture("username", "username"))
                .field("password", FieldType.STRING).field("password_hash", FieldType.STRING)
                .existence(f -> user(f.string("username")).isPresent())
                .on(Operation.UPDATE, this::write).on(Operation.READ, this::read).on(Operation.DELETE, this::delete));
        register(PathSpec.path("users/" + name + "/password").capture("username", "username")
                .field("password", FieldType.STRING).field("password_hash", FieldType.STRING)
                .on(Operation.UPDATE, this::password));
        register(PathSpec.path("users/" + name + "/policies").capture("username", "username")
                .field("policies", FieldType.COMMA_STRING_SLICE).field("token_policies", FieldType.COMMA_STRING_SLICE)
                .on(Operation.UPDATE, this::policies));
        register(PathSpec.path("login/" + name).capture("username", "username").field("password", FieldType.STRING)
                .unauthenticated().on(Operation.UPDATE, this::login));
    }

    @Override
    public String type() {
        return TYPE;
    }

    private static String key(String username) {
        return USER + username.toLowerCase(Locale.ROOT);
    }

    private Optional<User> user(String username) {
        return storage.get(key(username)).map(b -> User.fromStorage(JsonValues.decode(b)));
    }

    private void save(String username, User user) {
        storage.put(key(username), JsonValues.encode(user.toStorage()));
    }

    private Response list(Request r, Fields f) {
        List<String> names = storage.list(USER).stream().filter(n -> !n.endsWith("/")).sorted().toList();
        return names.isEmpty() ? Response.empty() : Response.of(Map.of("keys", names));
    }

    private Response read(Request r, Fields f) {
        return user(f.string("username")).map(u -> {
            Map<String, Object> d = new LinkedHashMap<>();
            u.token().describe(d);
            return Response.of(d);
        }).orElse(Response.empty());
    }

    private Response delete(Request r, Fields f) {
        storage.delete(key(f.string("username")));
        return Response.empty();
    }

    private Response write(Request r, Fields f) {
        Optional<User> existing = user(f.string("username"));
        String hash = existing.map(User::passwordHash).orElse(null);
        if (f.has("password") || f.has("password_hash") || existing.isEmpty()) {
            hash = newHash(f, existing.isEmpty());
        }
        TokenFields token = existing.map(User::token).orElse(TokenFields.NONE).updated(f);
        save(f.string("username"), new User(hash, token));
        return Response.empty();
    }

    private Response password(Request r, Fields f) {
        User u = user(f.string("username")).orElseThrow(() -> EngineException.user("username does not exist"));
        save(f.string("username"), new User(newHash(f, true), u.token()));
        return Response.empty();
    }

    private Response policies(Request r, Fields f) {
        User u = user(f.string("username")).orElseThrow(() -> EngineException.user("username does not exist"));
        List<String> policies = f.has("token_policies") ? f.strings("token_policies") : f.strings("policies");
        TokenFields t = u.token();
        save(f.string("username"), new User(u.passwordHash(), new TokenFields(t.ttl(), t.maxTtl(), t.explicitMaxTtl(),
                t.period(), policies.stream().map(p -> p.strip().toLowerCase(Locale.ROOT)).toList(), t.boundCidrs(),
                t.noDefaultPolicy(), t.numUses(), t.type())));
        return Response.empty();
    }

    /** The hash a write asks for: from {@code password}, or {@code password_hash} as given. */
    private static String newHash(Fields f, boolean required) {
        boolean plain = f.has("password");
        boolean hashed = f.has("password_hash") && !f.string("password_hash").isEmpty();
        if (plain && hashed) {
            throw EngineException.user("only one of password or password_hash may be provided");
        }
        if (hashed) {
            if (!PasswordHashes.isHash(f.string("password_hash"))) {
                throw EngineException.user("password_hash is not a valid bcrypt hash");
            }
            return f.string("password_hash");
        }
        String password = f.string("password");
        if (password.isEmpty()) {
            throw EngineException.user("missing password");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw EngineException.user("password is longer than 72 bytes, the most bcrypt can use");
        }
        return PasswordHashes.hash(password);
    }

    /**
     * Checks the password; an unknown user and a wrong password get the same answer after the same
     * work. The alias is the lower-cased username, and so is the token's {@code username} metadata.
     */
    private Response login(Request r, Fields f) {
        String username = f.string("username").toLowerCase(Locale.ROOT);
        String password = f.string("password");
        if (password.isEmpty()) {
            // Vault answers this with a 500; it is the caller's omission
            throw EngineException.user("missing password");
        }
        Optional<User> user = user(username);
        if (!PasswordHashes.matches(user.map(User::passwordHash).orElse(null), password) || user.isEmpty()) {
            throw user.isPresent() ? EngineException.invalidCredentials("invalid username or password")
                    : EngineException.user("invalid username or password");
        }
        return Response.login(user.get().token().login(username, Map.of(), Map.of("username", username), username));
    }

    /**
     * A user's token renews only while the user exists with the same policies ({@code default}
     * aside), as in Vault, within the user's current TTLs.
     */
    @Override
    public Optional<Login> renewLogin(String loginPath, Map<String, String> meta, List<String> tokenPolicies) {
        String username = meta.getOrDefault("username", "");
        User user = user(username).orElseThrow(() -> EngineException.user("user " + GoFormat.q(username)
                + " no longer exists; not renewing"));
        java.util.Set<String> now = new java.util.TreeSet<>();
        user.token().policies().forEach(p -> now.add(p.strip().toLowerCase(Locale.ROOT)));
        java.util.Set<String> had = new java.util.TreeSet<>(tokenPolicies);
        now.remove("default");
        had.remove("default");
        if (!now.equals(had)) {
            throw EngineException.user("policies have changed, not renewing");
        }
        return Optional.of(user.token().login(username, Map.of(), meta, username));
    }

    @Override
    public Optional<String> lockoutAlias(Request request) {
        if (request.path().startsWith("login/")) {
            return Optional.of(request.path().substring("login/".length()));
        }
        return Optional.empty();
    }
}
