package dev.latchkey.api.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One audit entry as one device writes it: {@code time} first, then every other key sorted (as
 * Vault writes them since 1.15), with what Vault hashes replaced by {@code hmac-sha256:<hex>} under
 * the device's salt: client tokens always; accessors unless {@code hmac_accessor=false}; every
 * string in request and response data (and every number a client sent, which Vault receives as
 * text), except under the mount's non-HMAC keys; nothing with {@code log_raw}. Lease IDs, paths,
 * names, policies and metadata stay in clear, as in Vault.
 */
final class AuditRendering {
    private AuditRendering() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> render(Map<String, Object> raw, byte[] salt, AuditLog.Options o,
                                      Set<String> nonHmacRequestKeys, Set<String> nonHmacResponseKeys) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", raw.get("time"));
        TreeMap<String, Object> rest = new TreeMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (!e.getKey().equals("time") && e.getValue() != null) {
                rest.put(e.getKey(), e.getValue());
            }
        }
        if (!o.logRaw()) {
            if (rest.get("auth") instanceof Map<?, ?> auth) {
                rest.put("auth", hashTokenFields((Map<String, Object>) auth, "client_token", "accessor", salt, o));
            }
            if (rest.get("request") instanceof Map<?, ?> req) {
                Map<String, Object> r = hashTokenFields((Map<String, Object>) req, "client_token", "client_token_accessor",
                        salt, o);
                if (r.get("data") instanceof Map<?, ?> data) {
                    r.put("data", hashData(data, salt, nonHmacRequestKeys, true));
                }
                rest.put("request", r);
            }
            if (rest.get("response") instanceof Map<?, ?> resp) {
                Map<String, Object> r = new TreeMap<>((Map<String, Object>) resp);
                if (r.get("auth") instanceof Map<?, ?> auth) {
                    r.put("auth", hashTokenFields((Map<String, Object>) auth, "client_token", "accessor", salt, o));
                }
                if (r.get("data") instanceof Map<?, ?> data) {
                    r.put("data", hashData(elided(data, o, rest), salt, nonHmacResponseKeys, false));
                }
                rest.put("response", r);
            }
        }
        out.putAll(rest);
        return out;
    }

    private static Map<String, Object> hashTokenFields(Map<String, Object> m, String token, String accessor, byte[] salt,
                                                       AuditLog.Options o) {
        Map<String, Object> out = new TreeMap<>(m);
        if (out.get(token) instanceof String t && !t.isEmpty()) {
            out.put(token, AuditLog.hmac(salt, t));
        }
        if (o.hmacAccessor() && out.get(accessor) instanceof String a && !a.isEmpty()) {
            out.put(accessor, AuditLog.hmac(salt, a));
        }
        return out;
    }

    private static Map<?, ?> elided(Map<?, ?> data, AuditLog.Options o, Map<String, Object> entry) {
        if (!o.elideListResponses() || !(entry.get("request") instanceof Map<?, ?> req) || !"list".equals(req.get("operation"))) {
            return data;
        }
        Map<Object, Object> out = new LinkedHashMap<>(data);
        if (out.get("keys") instanceof List<?> keys) {
            out.put("keys", keys.size());
        }
        if (out.get("key_info") instanceof Map<?, ?> info) {
            out.put("key_info", info.size());
        }
        return out;
    }

    private static Object hashData(Object v, byte[] salt, Set<String> clear, boolean numbersAreText) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                out.put(k, clear.contains(k) ? e.getValue() : hashData(e.getValue(), salt, clear, numbersAreText));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(hashData(x, salt, clear, numbersAreText)));
            return out;
        }
        if (v instanceof String s) {
            return AuditLog.hmac(salt, s);
        }
        if (numbersAreText && v instanceof Number n) {
            return AuditLog.hmac(salt, String.valueOf(n));
        }
        return v;
    }
}
