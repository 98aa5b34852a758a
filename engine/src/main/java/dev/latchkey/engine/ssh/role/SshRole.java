package dev.latchkey.engine.ssh.role;

import dev.latchkey.engine.storage.StoredFields;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

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
 * @param ca              certificate settings; null unless the key type is {@code ca}
 * @param dynamic         dynamic-key settings; null unless the key type is {@code dynamic}
 */
public record SshRole(KeyType keyType, String defaultUser, String cidrList, String excludeCidrList, int port,
                      String allowedUsers, CaRole ca, DynamicRole dynamic) {

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
        if (ca != null) {
            ca.writeTo(m);
        }
        if (dynamic != null) {
            dynamic.writeTo(m);
        }
        return m;
    }

    static SshRole fromStorage(Map<String, Object> m) {
        KeyType type = KeyType.parse(StoredFields.text(m, "key_type"))
                .orElseThrow(() -> new IllegalStateException("stored role has an unknown key type"));
        Object port = m.get("port");
        return new SshRole(type, StoredFields.text(m, "default_user"), StoredFields.text(m, "cidr_list"), StoredFields.text(m, "exclude_cidr_list"),
                port instanceof Number n ? n.intValue() : 22, StoredFields.text(m, "allowed_users"),
                type == KeyType.CA ? CaRole.readFrom(m) : null,
                type == KeyType.DYNAMIC ? DynamicRole.readFrom(m) : null);
    }

    /**
     * The fields {@code GET roles/:role} returns: those every key type shares, and those of this
     * role's own key type.
     */
    public Map<String, Object> toResponse() {
        Map<String, Object> d = new TreeMap<>();
        d.put("allowed_users", allowedUsers);
        d.put("default_user", defaultUser);
        d.put("key_type", keyType.wire());
        if (ca != null) {
            ca.writeResponse(d);
            return d;
        }
        d.put("cidr_list", cidrList);
        d.put("exclude_cidr_list", excludeCidrList);
        d.put("port", port);
        if (dynamic != null) {
            dynamic.writeResponse(d);
        }
        return d;
    }
}
