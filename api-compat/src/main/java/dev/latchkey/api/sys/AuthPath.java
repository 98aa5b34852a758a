package dev.latchkey.api.sys;

import dev.latchkey.api.mount.MountEntry;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.random.Randomness;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code sys/auth}: list, enable, read and disable auth methods, and tune them (also reachable as
 * {@code sys/mounts/auth/<path>/tune}, where {@code vault auth tune} sends it). Auth mounts live in
 * the one mount table at {@code auth/<path>/}; this family names them without the {@code auth/}.
 * Everything but the list needs {@code sudo}, as {@code sys/auth/*} does in Vault. Disabling a
 * method revokes every token its logins made, and their leases, and deletes its storage.
 */
final class AuthPath {
    private final MountTable mounts;
    private final LeaseManager leases;
    private final TokenStore tokens;
    private final MountsPath tuning;
    private final String version;

    AuthPath(MountTable mounts, LeaseManager leases, TokenStore tokens, MountsPath tuning, String version) {
        this.mounts = mounts;
        this.leases = leases;
        this.tokens = tokens;
        this.tuning = tuning;
        this.version = version;
    }

    List<PathSpec> specs() {
        PathSpec list = PathSpec.path("auth/?").on(Operation.READ, this::list);
        PathSpec tune = MountsPath.tuneFields(PathSpec.path("auth/(?<path>.+)/tune").capture("path", "path").sudo())
                .on(Operation.READ, (r, f) -> tuning.readTune(full(f)))
                .on(Operation.UPDATE, (r, f) -> tuning.writeTune(full(f), f));
        PathSpec one = PathSpec.path("auth/(?<path>.+)").capture("path", "path").sudo()
                .field("type", FieldType.STRING).field("description", FieldType.STRING)
                .field("config", FieldType.MAP).field("options", FieldType.STRING_MAP)
                .field("local", FieldType.BOOL).field("seal_wrap", FieldType.BOOL)
                .field("external_entropy_access", FieldType.BOOL).field("plugin_name", FieldType.STRING)
                .field("plugin_version", FieldType.STRING)
                .on(Operation.UPDATE, this::enable).on(Operation.READ, this::read).on(Operation.DELETE, this::disable);
        return List.of(list, tune, one);
    }

    /** {@code userpass} or {@code /userpass/} as {@code auth/userpass/}. */
    private static String full(Fields f) {
        return "auth/" + MountsPath.normalise(f.string("path"));
    }

    private Response list(Request r, Fields f) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (MountEntry e : mounts.authMounts()) {
            data.put(e.path().substring("auth/".length()), e.describe(version));
        }
        return Response.of(data).withDataAtTopLevel();
    }

    private Response read(Request r, Fields f) {
        String path = full(f);
        return mounts.get(path).map(e -> Response.of(e.describe(version)))
                .orElseThrow(() -> EngineException.user("No auth engine at " + path.substring("auth/".length())));
    }

    private Response enable(Request r, Fields f) {
        String shown = MountsPath.normalise(f.string("path"));
        if (shown.equals("/")) {
            throw EngineException.user("path cannot be empty");
        }
        String type = f.has("plugin_name") && !f.string("plugin_name").isEmpty() && f.string("type").equals("plugin")
                ? f.string("plugin_name") : f.string("type");
        if (type.isEmpty()) {
            throw EngineException.user("backend type must be specified as a string");
        }
        if (f.stringMap("options").containsKey("version")) {
            throw EngineException.user("auth method " + GoFormat.q(type) + " does not allow setting a version");
        }
        if (type.equals("token")) {
            throw EngineException.user("token credential backend cannot be instantiated");
        }
        MountEntry.MountConfig config;
        try {
            config = tuning.parseConfig(f.map("config"));
        } catch (ClassCastException e) {
            throw EngineException.user("unable to convert given auth config information");
        }
        Object tokenType = f.map("config").get("token_type");
        config = config.withTokenType(MountsPath.tokenType(tokenType == null ? "" : String.valueOf(tokenType)));
        if (!mounts.engines().containsAuth(type)) {
            // checked after the path, as Vault does, so a taken path is reported first
            mounts.get("auth/" + shown).ifPresent(e -> {
                throw EngineException.user("path is already in use at " + shown);
            });
            throw EngineException.user("plugin not found in the catalog: " + type);
        }
        MountEntry entry = new MountEntry("auth/" + shown, type, f.string("description"),
                "auth_" + type + "_" + HexFormat.of().formatHex(Randomness.bytes(4)), UUID.randomUUID().toString(),
                f.bool("local"), f.bool("seal_wrap"), f.bool("external_entropy_access"),
                f.stringMap("options").isEmpty() ? null : f.stringMap("options"), f.string("plugin_version"), config);
        mounts.add(entry);
        return Response.empty();
    }

    private Response disable(Request r, Fields f) {
        String path = full(f);
        if (path.equals("auth/token/")) {
            throw EngineException.user("token credential backend cannot be disabled");
        }
        mounts.get(path).ifPresent(entry -> {
            mounts.remove(path);
            tokens.revokeWhere(t -> t.path().startsWith(path));
            leases.revokePrefix(path, false);
            mounts.storageOf(entry).deletePrefix("");
        });
        return Response.empty();
    }
}
