package dev.latchkey.engine.ssh;

import java.util.Map;

/**
 * The settings of a {@code dynamic} role (spec §3.2.1, fields marked D, Vault 1.12): which
 * registered admin key logs in as which admin user, and how the per-lease key is made and installed.
 */
public record DynamicRole(String key, String adminUser, int keyBits, String installScript, String keyOptionSpecs) {

    void writeTo(Map<String, Object> m) {
        m.put("key", key);
        m.put("admin_user", adminUser);
        m.put("key_bits", keyBits);
        m.put("install_script", installScript);
        m.put("key_option_specs", keyOptionSpecs);
    }

    static DynamicRole readFrom(Map<String, Object> m) {
        Object bits = m.get("key_bits");
        return new DynamicRole(str(m, "key"), str(m, "admin_user"), bits instanceof Number n ? n.intValue() : 2048,
                str(m, "install_script"), str(m, "key_option_specs"));
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? "" : v.toString();
    }
}
