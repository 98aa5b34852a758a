package dev.latchkey.engine.ssh.role;

import dev.latchkey.engine.storage.StoredFields;

import java.util.Map;

/**
 * The settings of a {@code dynamic} role, as Vault 1.12 had them: which
 * registered admin key logs in as which admin user, and how the per-lease key is made and installed.
 * Beyond Vault: how the target's host key is checked, and the connect and command timeouts.
 */
public record DynamicRole(String key, String adminUser, int keyBits, String installScript, String keyOptionSpecs,
                          HostKeyPolicy hostKeys, long connectTimeoutSeconds, long commandTimeoutSeconds) {
    /**
     * Vault's dial timeout; with the command timeout, a failing install answers within 45 s, before
     * the Vault CLI's own 60 s client timeout.
     */
    public static final long DEFAULT_CONNECT_TIMEOUT = 15;
    public static final long DEFAULT_COMMAND_TIMEOUT = 30;

    void writeTo(Map<String, Object> m) {
        m.put("key", key);
        m.put("admin_user", adminUser);
        m.put("key_bits", keyBits);
        m.put("install_script", installScript);
        m.put("key_option_specs", keyOptionSpecs);
        hostKeys.writeTo(m);
        m.put("connect_timeout", connectTimeoutSeconds);
        m.put("command_timeout", commandTimeoutSeconds);
    }

    /** This role's fields as {@code GET roles/:role} shows them. */
    void writeResponse(Map<String, Object> d) {
        d.put("admin_user", adminUser);
        d.put("command_timeout", commandTimeoutSeconds);
        d.put("connect_timeout", connectTimeoutSeconds);
        d.put("host_key_checking", hostKeys.mode().wire());
        d.put("host_key_fingerprints", hostKeys.fingerprints());
        d.put("install_script", installScript);
        d.put("key", key);
        d.put("key_bits", keyBits);
        d.put("key_option_specs", keyOptionSpecs);
    }

    /** Roles stored before the host-key fields existed read as trust-on-first-use with default timeouts. */
    static DynamicRole readFrom(Map<String, Object> m) {
        return new DynamicRole(StoredFields.text(m, "key"), StoredFields.text(m, "admin_user"),
                (int) StoredFields.number(m, "key_bits", 2048), StoredFields.text(m, "install_script"),
                StoredFields.text(m, "key_option_specs"), HostKeyPolicy.readFrom(m),
                StoredFields.number(m, "connect_timeout", DEFAULT_CONNECT_TIMEOUT),
                StoredFields.number(m, "command_timeout", DEFAULT_COMMAND_TIMEOUT));
    }
}
