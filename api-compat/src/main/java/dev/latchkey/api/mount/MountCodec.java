package dev.latchkey.api.mount;

import dev.latchkey.engine.storage.JsonValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stored form of the mount table: one JSON document with a list of entries. */
final class MountCodec {
    private MountCodec() {
    }

    static byte[] encode(List<MountEntry> entries) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MountEntry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", e.path());
            m.put("type", e.type());
            m.put("description", e.description());
            m.put("accessor", e.accessor());
            m.put("uuid", e.uuid());
            m.put("local", e.local());
            m.put("seal_wrap", e.sealWrap());
            m.put("external_entropy_access", e.externalEntropyAccess());
            m.put("options", e.options());
            m.put("plugin_version", e.pluginVersion());
            MountEntry.MountConfig c = e.config();
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("default_lease_ttl", c.defaultLeaseTtl());
            cfg.put("max_lease_ttl", c.maxLeaseTtl());
            cfg.put("force_no_cache", c.forceNoCache());
            cfg.put("listing_visibility", c.listingVisibility());
            cfg.put("audit_non_hmac_request_keys", c.auditNonHmacRequestKeys());
            cfg.put("audit_non_hmac_response_keys", c.auditNonHmacResponseKeys());
            cfg.put("passthrough_request_headers", c.passthroughRequestHeaders());
            cfg.put("allowed_response_headers", c.allowedResponseHeaders());
            cfg.put("allowed_managed_keys", c.allowedManagedKeys());
            m.put("config", cfg);
            rows.add(m);
        }
        return JsonValues.encode(Map.of("entries", rows));
    }

    @SuppressWarnings("unchecked")
    static List<MountEntry> decode(byte[] bytes) {
        List<MountEntry> out = new ArrayList<>();
        for (Object row : (List<Object>) JsonValues.decode(bytes).get("entries")) {
            Map<String, Object> m = (Map<String, Object>) row;
            Map<String, Object> c = (Map<String, Object>) m.get("config");
            MountEntry.MountConfig cfg = new MountEntry.MountConfig(num(c, "default_lease_ttl"),
                    num(c, "max_lease_ttl"), Boolean.TRUE.equals(c.get("force_no_cache")),
                    (String) c.get("listing_visibility"), strings(c, "audit_non_hmac_request_keys"),
                    strings(c, "audit_non_hmac_response_keys"), strings(c, "passthrough_request_headers"),
                    strings(c, "allowed_response_headers"), strings(c, "allowed_managed_keys"));
            out.add(new MountEntry((String) m.get("path"), (String) m.get("type"), (String) m.get("description"),
                    (String) m.get("accessor"), (String) m.get("uuid"), Boolean.TRUE.equals(m.get("local")),
                    Boolean.TRUE.equals(m.get("seal_wrap")), Boolean.TRUE.equals(m.get("external_entropy_access")),
                    (Map<String, String>) m.get("options"), (String) m.get("plugin_version"), cfg));
        }
        return out;
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof List<?> l ? List.copyOf((List<String>) l) : List.of();
    }
}
