package dev.latchkey.api.sys;

import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.api.mount.MountEntry;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldConversionException;
import dev.latchkey.engine.framework.FieldConverter;
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

/** {@code sys/mounts}: list, enable, read, disable and tune secret engines. */
final class MountsPath {
    private static final List<String> RESERVED = List.of("sys/", "auth/", "audit/", "cubbyhole/", "identity/");

    private final MountTable mounts;
    private final LeaseManager leases;
    private final SystemDefaults defaults;
    private final String version;

    MountsPath(MountTable mounts, LeaseManager leases, String version) {
        this.mounts = mounts;
        this.leases = leases;
        this.defaults = mounts.defaults();
        this.version = version;
    }

    List<PathSpec> specs() {
        PathSpec list = PathSpec.path("mounts/?").on(Operation.READ, this::list);
        PathSpec tune = tuneFields(PathSpec.path("mounts/(?<path>.+)/tune").capture("path", "path"))
                .on(Operation.READ, (r, f) -> readTune(normalise(f.string("path"))))
                .on(Operation.UPDATE, (r, f) -> writeTune(normalise(f.string("path")), f));
        PathSpec one = PathSpec.path("mounts/(?<path>.+)").capture("path", "path")
                .field("type", FieldType.STRING).field("description", FieldType.STRING)
                .field("config", FieldType.MAP).field("options", FieldType.STRING_MAP)
                .field("local", FieldType.BOOL).field("seal_wrap", FieldType.BOOL)
                .field("external_entropy_access", FieldType.BOOL).field("plugin_name", FieldType.STRING)
                .field("plugin_version", FieldType.STRING)
                .on(Operation.UPDATE, this::enable).on(Operation.READ, this::read).on(Operation.DELETE, this::disable);
        return List.of(list, tune, one);
    }

    /** The fields a tune write takes, on {@code sys/mounts/…/tune} and {@code sys/auth/…/tune} alike. */
    static PathSpec tuneFields(PathSpec p) {
        return p.field("default_lease_ttl", FieldType.STRING).field("max_lease_ttl", FieldType.STRING)
                .field("description", FieldType.STRING).field("options", FieldType.STRING_MAP)
                .field("listing_visibility", FieldType.STRING).field("plugin_version", FieldType.STRING)
                .field("audit_non_hmac_request_keys", FieldType.COMMA_STRING_SLICE)
                .field("audit_non_hmac_response_keys", FieldType.COMMA_STRING_SLICE)
                .field("passthrough_request_headers", FieldType.COMMA_STRING_SLICE)
                .field("allowed_response_headers", FieldType.COMMA_STRING_SLICE)
                .field("allowed_managed_keys", FieldType.COMMA_STRING_SLICE)
                .field("token_type", FieldType.STRING);
    }

    static String normalise(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.endsWith("/") ? p : p + "/";
    }

    private Response list(Request r, Fields f) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (MountEntry e : mounts.listed()) {
            data.put(e.path(), e.describe(version));
        }
        return Response.of(data).withDataAtTopLevel();
    }

    private Response read(Request r, Fields f) {
        String path = normalise(f.string("path"));
        return mounts.get(path).map(e -> Response.of(e.describe(version)))
                .orElseThrow(() -> EngineException.user("no mount at " + GoFormat.q(path)));
    }

    private Response enable(Request r, Fields f) {
        String path = normalise(f.string("path"));
        if (path.equals("/")) {
            throw EngineException.user("path cannot be empty");
        }
        for (String reserved : RESERVED) {
            if (path.startsWith(reserved)) {
                throw EngineException.user("cannot mount " + GoFormat.q(path));
            }
        }
        if (!f.has("type") || f.string("type").isEmpty()) {
            throw EngineException.user("backend type must be specified as a string");
        }
        String type = f.string("type");
        if (!mounts.engines().contains(type)) {
            throw EngineException.user("plugin not found in the catalog: " + type);
        }
        MountEntry.MountConfig config = parseConfig(f.map("config"));
        MountEntry entry = new MountEntry(path, type, f.string("description"),
                type + "_" + HexFormat.of().formatHex(Randomness.bytes(4)), UUID.randomUUID().toString(), f.bool("local"),
                f.bool("seal_wrap"), f.bool("external_entropy_access"),
                f.stringMap("options").isEmpty() ? null : f.stringMap("options"), f.string("plugin_version"), config);
        mounts.add(entry);
        return Response.empty();
    }

    MountEntry.MountConfig parseConfig(Map<String, Object> c) {
        long def = MountTtls.parse(c.get("default_lease_ttl"), "default", false);
        long max = MountTtls.parse(c.get("max_lease_ttl"), "max", false);
        MountTtls.check(def, max, defaults);
        String visibility = text(c.get("listing_visibility"), "listing_visibility");
        checkVisibility(visibility);
        return new MountEntry.MountConfig(def, max, bool(c.get("force_no_cache"), "force_no_cache"), visibility,
                slice(c, "audit_non_hmac_request_keys"), slice(c, "audit_non_hmac_response_keys"),
                slice(c, "passthrough_request_headers"), slice(c, "allowed_response_headers"),
                slice(c, "allowed_managed_keys"), "");
    }

    private static void checkVisibility(String visibility) {
        if (!visibility.isEmpty() && !visibility.equals("unauth") && !visibility.equals("hidden")) {
            throw EngineException.user("invalid listing_visibility " + visibility);
        }
    }

    private Response disable(Request r, Fields f) {
        String path = normalise(f.string("path"));
        if (mounts.isBuiltinPath(path) || RESERVED.stream().anyMatch(path::startsWith)) {
            throw EngineException.user("cannot unmount " + GoFormat.q(path));
        }
        mounts.get(path).ifPresent(entry -> {
            leases.revokePrefix(path, false);
            mounts.remove(path);
            mounts.storageOf(entry).deletePrefix("");
        });
        return Response.empty();
    }

    /** The tunables of the mount at {@code path} (with its trailing slash; {@code auth/…} for an auth mount). */
    Response readTune(String path) {
        MountEntry e = mounts.get(path).orElseThrow(() -> EngineException.user("no mount at " + GoFormat.q(path)));
        var info = e.info(defaults);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("default_lease_ttl", info.defaultLeaseTtl());
        d.put("description", e.description());
        d.put("force_no_cache", e.config().forceNoCache());
        d.put("max_lease_ttl", info.maxLeaseTtl());
        if (e.options() != null) {
            d.put("options", e.options());
        }
        if (!e.config().listingVisibility().isEmpty()) {
            d.put("listing_visibility", e.config().listingVisibility());
        }
        putIfNotEmpty(d, "audit_non_hmac_request_keys", e.config().auditNonHmacRequestKeys());
        putIfNotEmpty(d, "audit_non_hmac_response_keys", e.config().auditNonHmacResponseKeys());
        putIfNotEmpty(d, "passthrough_request_headers", e.config().passthroughRequestHeaders());
        putIfNotEmpty(d, "allowed_response_headers", e.config().allowedResponseHeaders());
        putIfNotEmpty(d, "allowed_managed_keys", e.config().allowedManagedKeys());
        if (e.isAuth()) {
            d.put("token_type", e.config().tokenType().isEmpty() ? "default-service" : e.config().tokenType());
        }
        return Response.of(d);
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, List<String> value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    /** Tunes the mount at {@code path}, as {@link #readTune} names it. */
    Response writeTune(String path, Fields f) {
        if (f.has("token_type") && !path.startsWith("auth/")) {
            throw EngineException.user("'token_type' can only be modified on auth mounts");
        }
        if (f.has("token_type") && path.equals("auth/token/")) {
            throw EngineException.user("'token_type' cannot be set for 'token' or 'ns_token' auth mounts");
        }
        if (mounts.isBuiltinPath(path)) {
            throw EngineException.user("cannot tune built-in mount " + GoFormat.q(path));
        }
        MountEntry e = mounts.get(path).orElseThrow(() -> EngineException.user("no mount at " + GoFormat.q(path)));
        MountEntry.MountConfig c = e.config();
        long def = MountTtls.parse(f.has("default_lease_ttl") ? f.string("default_lease_ttl") : null, "default", true);
        long max = MountTtls.parse(f.has("max_lease_ttl") ? f.string("max_lease_ttl") : null, "max", true);
        long newDef = def == MountTtls.UNCHANGED ? c.defaultLeaseTtl() : def;
        long newMax = max == MountTtls.UNCHANGED ? c.maxLeaseTtl() : max;
        MountTtls.check(newDef, newMax, defaults);
        String visibility = f.string("listing_visibility", c.listingVisibility());
        checkVisibility(visibility);
        MountEntry.MountConfig tuned = new MountEntry.MountConfig(newDef, newMax, c.forceNoCache(), visibility,
                f.has("audit_non_hmac_request_keys") ? f.strings("audit_non_hmac_request_keys") : c.auditNonHmacRequestKeys(),
                f.has("audit_non_hmac_response_keys") ? f.strings("audit_non_hmac_response_keys") : c.auditNonHmacResponseKeys(),
                f.has("passthrough_request_headers") ? f.strings("passthrough_request_headers") : c.passthroughRequestHeaders(),
                f.has("allowed_response_headers") ? f.strings("allowed_response_headers") : c.allowedResponseHeaders(),
                f.has("allowed_managed_keys") ? f.strings("allowed_managed_keys") : c.allowedManagedKeys(),
                f.has("token_type") ? tokenType(f.string("token_type")) : c.tokenType());
        MountEntry updated = e.withConfig(tuned);
        if (f.has("description")) {
            updated = updated.withDescription(f.string("description"));
        }
        if (f.has("options")) {
            Map<String, String> merged = new LinkedHashMap<>(e.options() == null ? Map.of() : e.options());
            merged.putAll(f.stringMap("options"));
            updated = updated.withOptions(merged);
        }
        mounts.replace(updated);
        return Response.empty();
    }

    /** An auth mount's {@code token_type}, as Vault accepts it; only service tokens are issued here. */
    static String tokenType(String type) {
        return switch (type) {
            case "", "default-service" -> "default-service";
            case "service" -> "service";
            case "batch", "default-batch" -> throw EngineException.user(
                    "token_type " + type + " is not supported: Latchkey issues service tokens only");
            default -> throw EngineException.user("invalid value for 'token_type'");
        };
    }

    private static String text(Object raw, String name) {
        return (String) convert(FieldType.STRING, raw, name);
    }

    private static boolean bool(Object raw, String name) {
        return raw != null && (Boolean) convert(FieldType.BOOL, raw, name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> slice(Map<String, Object> c, String name) {
        Object raw = c.get(name);
        return raw == null ? List.of() : (List<String>) convert(FieldType.COMMA_STRING_SLICE, raw, name);
    }

    private static Object convert(FieldType type, Object raw, String name) {
        try {
            return FieldConverter.convert(type, raw);
        } catch (FieldConversionException e) {
            throw EngineException.user("invalid value for config." + name + ": " + e.getMessage());
        }
    }
}
