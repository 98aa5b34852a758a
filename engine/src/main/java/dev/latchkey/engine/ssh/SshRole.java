package dev.latchkey.engine.ssh;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored SSH role. The storage form is a JSON object with Vault's field names, so later key
 * types add fields without a migration.
 *
 * @param keyType         otp, dynamic or ca
 * @param defaultUser     user when {@code creds} gets none
 * @param cidrList        raw comma-separated allow list, as the user sent it
 * @param excludeCidrList raw comma-separated exclusions
 * @param port            SSH port (informational for OTP)
 * @param allowedUsers    raw comma-separated allowed users, or {@code *}
 */
public record SshRole(KeyType keyType, String defaultUser, String cidrList, String excludeCidrList, int port,
                      String allowedUsers) {

    static final int ROLE_VERSION = 3;

    Map<String, Object> toStorage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key_type", keyType.wire());
        m.put("default_user", defaultUser);
        m.put("cidr_list", cidrList);
        m.put("exclude_cidr_list", excludeCidrList);
        m.put("port", port);
        m.put("allowed_users", allowedUsers);
        m.put("role_version", ROLE_VERSION);
        return m;
    }

    static SshRole fromStorage(Map<String, Object> m) {
        KeyType type = KeyType.parse(str(m, "key_type"))
                .orElseThrow(() -> new IllegalStateException("stored role has an unknown key type"));
        Object port = m.get("port");
        return new SshRole(type, str(m, "default_user"), str(m, "cidr_list"), str(m, "exclude_cidr_list"),
                port instanceof Number n ? n.intValue() : 22, str(m, "allowed_users"));
    }

    /** The fields {@code GET roles/:role} returns for this role's key type. */
    Map<String, Object> toResponse() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("allowed_users", allowedUsers);
        d.put("cidr_list", cidrList);
        d.put("default_user", defaultUser);
        d.put("exclude_cidr_list", excludeCidrList);
        d.put("key_type", keyType.wire());
        d.put("port", port);
        return d;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }
}
