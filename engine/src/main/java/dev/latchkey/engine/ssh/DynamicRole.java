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
        return new DynamicRole(StoredFields.text(m, "key"), StoredFields.text(m, "admin_user"), (int) StoredFields.number(m, "key_bits", 2048),
                StoredFields.text(m, "install_script"), StoredFields.text(m, "key_option_specs"));
    }
}
