package dev.latchkey.engine.ssh;

import dev.latchkey.engine.storage.StoredFields;
import dev.latchkey.engine.ssh.dynamic.HostKeyChecking;
import dev.latchkey.engine.ssh.dynamic.HostKeyPolicy;

import java.util.Map;

/**
 * The settings of a {@code dynamic} role (spec §3.2.1, fields marked D, Vault 1.12): which
 * registered admin key logs in as which admin user, and how the per-lease key is made and installed.
 * Beyond Vault: how the target's host key is checked, and the connect and command timeouts.
 */
public record DynamicRole(String key, String adminUser, int keyBits, String installScript, String keyOptionSpecs,
                          HostKeyPolicy hostKeys, long connectTimeoutSeconds, long commandTimeoutSeconds) {
    /** Vault's dial timeout. */
    static final long DEFAULT_CONNECT_TIMEOUT = 15;
    static final long DEFAULT_COMMAND_TIMEOUT = 60;

    void writeTo(Map<String, Object> m) {
        m.put("key", key);
        m.put("admin_user", adminUser);
        m.put("key_bits", keyBits);
        m.put("install_script", installScript);
        m.put("key_option_specs", keyOptionSpecs);
        m.put("host_key_checking", hostKeys.mode().wire());
        m.put("host_key_fingerprints", hostKeys.fingerprints());
        m.put("connect_timeout", connectTimeoutSeconds);
        m.put("command_timeout", commandTimeoutSeconds);
    }

    /** Roles stored before the host-key fields existed read as trust-on-first-use with default timeouts. */
    static DynamicRole readFrom(Map<String, Object> m) {
        HostKeyChecking mode = HostKeyChecking.parse(StoredFields.text(m, "host_key_checking"))
                .orElse(HostKeyChecking.TRUST_ON_FIRST_USE);
        return new DynamicRole(StoredFields.text(m, "key"), StoredFields.text(m, "admin_user"),
                (int) StoredFields.number(m, "key_bits", 2048), StoredFields.text(m, "install_script"),
                StoredFields.text(m, "key_option_specs"), new HostKeyPolicy(mode, StoredFields.strings(m, "host_key_fingerprints")),
                StoredFields.number(m, "connect_timeout", DEFAULT_CONNECT_TIMEOUT),
                StoredFields.number(m, "command_timeout", DEFAULT_COMMAND_TIMEOUT));
    }
}
