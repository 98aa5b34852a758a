package dev.latchkey.api.mount;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.engine.framework.MountInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the mount table.
 *
 * @param path    with trailing slash, e.g. {@code ssh/}
 * @param config  tunables; TTLs in seconds with 0 meaning "system default"
 * @param options engine options (may be null, as Vault reports it)
 */
public record MountEntry(String path, String type, String description, String accessor, String uuid,
                         boolean local, boolean sealWrap, boolean externalEntropyAccess,
                         Map<String, String> options, String pluginVersion, MountConfig config) {

    /** Text fields a stored entry lacks read as "", and a missing config as the defaults. */
    public MountEntry {
        description = Objects.requireNonNullElse(description, "");
        pluginVersion = Objects.requireNonNullElse(pluginVersion, "");
        config = Objects.requireNonNullElseGet(config, MountConfig::defaults);
    }

    /** Tunables of a mount. */
    public record MountConfig(long defaultLeaseTtl, long maxLeaseTtl, boolean forceNoCache,
                              String listingVisibility, List<String> auditNonHmacRequestKeys,
                              List<String> auditNonHmacResponseKeys, List<String> passthroughRequestHeaders,
                              List<String> allowedResponseHeaders, List<String> allowedManagedKeys,
                              String tokenType) {
        /** Lists a stored entry lacks read as empty; an auth mount's token type as Vault's default. */
        public MountConfig {
            listingVisibility = Objects.requireNonNullElse(listingVisibility, "");
            tokenType = Objects.requireNonNullElse(tokenType, "");
            auditNonHmacRequestKeys = listOrEmpty(auditNonHmacRequestKeys);
            auditNonHmacResponseKeys = listOrEmpty(auditNonHmacResponseKeys);
            passthroughRequestHeaders = listOrEmpty(passthroughRequestHeaders);
            allowedResponseHeaders = listOrEmpty(allowedResponseHeaders);
            allowedManagedKeys = listOrEmpty(allowedManagedKeys);
        }

        private static List<String> listOrEmpty(List<String> list) {
            return list == null ? List.of() : List.copyOf(list);
        }

        public static MountConfig defaults() {
            return new MountConfig(0, 0, false, "", List.of(), List.of(), List.of(), List.of(), List.of(), "");
        }

        public MountConfig withTokenType(String type) {
            return new MountConfig(defaultLeaseTtl, maxLeaseTtl, forceNoCache, listingVisibility, auditNonHmacRequestKeys,
                    auditNonHmacResponseKeys, passthroughRequestHeaders, allowedResponseHeaders, allowedManagedKeys, type);
        }
    }

    /** Whether this is an auth method's mount ({@code auth/<path>/}) rather than a secrets engine's. */
    @JsonIgnore // derived from the path; not part of the stored entry
    public boolean isAuth() {
        return path.startsWith("auth/");
    }

    /** Effective TTLs for the engine: zeros resolved to the system values. */
    public MountInfo info(SystemDefaults defaults) {
        long max = config.maxLeaseTtl() > 0 ? config.maxLeaseTtl() : defaults.maxLeaseTtl();
        long def = config.defaultLeaseTtl() > 0 ? config.defaultLeaseTtl() : defaults.defaultLeaseTtl();
        return new MountInfo(path, uuid, accessor, Math.min(def, max), max);
    }

    /** The object {@code sys/mounts} shows for this mount. */
    public Map<String, Object> describe(String version) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("default_lease_ttl", config.defaultLeaseTtl());
        cfg.put("force_no_cache", config.forceNoCache());
        cfg.put("max_lease_ttl", config.maxLeaseTtl());
        putIfNotEmpty(cfg, "audit_non_hmac_request_keys", config.auditNonHmacRequestKeys());
        putIfNotEmpty(cfg, "audit_non_hmac_response_keys", config.auditNonHmacResponseKeys());
        putIfNotEmpty(cfg, "passthrough_request_headers", config.passthroughRequestHeaders());
        putIfNotEmpty(cfg, "allowed_response_headers", config.allowedResponseHeaders());
        putIfNotEmpty(cfg, "allowed_managed_keys", config.allowedManagedKeys());
        if (!config.listingVisibility().isEmpty()) {
            cfg.put("listing_visibility", config.listingVisibility());
        }
        if (isAuth()) {
            cfg.put("token_type", config.tokenType().isEmpty() ? "default-service" : config.tokenType());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accessor", accessor);
        m.put("config", cfg);
        m.put("deprecation_status", "supported");
        m.put("description", description);
        m.put("external_entropy_access", externalEntropyAccess);
        m.put("local", local);
        m.put("options", options);
        m.put("plugin_version", pluginVersion);
        m.put("running_plugin_version", "v" + version + "+builtin.vault");
        m.put("running_sha256", "");
        m.put("seal_wrap", sealWrap);
        m.put("type", type);
        m.put("uuid", uuid);
        return m;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, List<String> value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    public MountEntry withConfig(MountConfig newConfig) {
        return new MountEntry(path, type, description, accessor, uuid, local, sealWrap, externalEntropyAccess,
                options, pluginVersion, newConfig);
    }

    public MountEntry withDescription(String newDescription) {
        return new MountEntry(path, type, newDescription, accessor, uuid, local, sealWrap, externalEntropyAccess,
                options, pluginVersion, config);
    }

    public MountEntry withOptions(Map<String, String> newOptions) {
        return new MountEntry(path, type, description, accessor, uuid, local, sealWrap, externalEntropyAccess,
                newOptions, pluginVersion, config);
    }
}
