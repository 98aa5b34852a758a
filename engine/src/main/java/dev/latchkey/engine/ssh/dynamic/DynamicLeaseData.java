package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.ssh.role.DynamicRole;
import dev.latchkey.engine.ssh.role.HostKeyPolicy;
import dev.latchkey.engine.storage.StoredFields;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a dynamic-key lease keeps to remove its key later: the internal fields Vault's
 * {@code secret_dynamic_key_type} keeps, plus the role's host-key policy and timeouts at issue
 * time, so revocation does not depend on the role still existing.
 *
 * @param adminKeyName the registered admin key ({@code keys/<name>}); Vault stores it as
 *                     {@code host_key_name}, and so does Latchkey, so leases keep their meaning
 * @param hostKeys     how the target's own host key is verified
 */
record DynamicLeaseData(String adminUser, String username, String ip, String adminKeyName, String publicKeyLine,
                        int port, String installScript, HostKeyPolicy hostKeys, long connectTimeoutSeconds,
                        long commandTimeoutSeconds) {

    Map<String, Object> toInternal() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("admin_user", adminUser);
        m.put("username", username);
        m.put("ip", ip);
        m.put("host_key_name", adminKeyName);
        m.put("dynamic_public_key", publicKeyLine);
        m.put("port", port);
        m.put("install_script", installScript);
        hostKeys.writeTo(m);
        m.put("connect_timeout", connectTimeoutSeconds);
        m.put("command_timeout", commandTimeoutSeconds);
        return m;
    }

    static DynamicLeaseData fromInternal(Map<String, Object> m) {
        String publicKey = StoredFields.text(m, "dynamic_public_key");
        String username = StoredFields.text(m, "username");
        if (publicKey.isEmpty() || username.isEmpty() || StoredFields.text(m, "ip").isEmpty()) {
            throw EngineException.user("secret is missing internal data");
        }
        return new DynamicLeaseData(StoredFields.text(m, "admin_user"), username, StoredFields.text(m, "ip"),
                StoredFields.text(m, "host_key_name"), publicKey, (int) StoredFields.number(m, "port", 22),
                StoredFields.text(m, "install_script"), HostKeyPolicy.readFrom(m),
                StoredFields.number(m, "connect_timeout", DynamicRole.DEFAULT_CONNECT_TIMEOUT),
                StoredFields.number(m, "command_timeout", DynamicRole.DEFAULT_COMMAND_TIMEOUT));
    }
}
