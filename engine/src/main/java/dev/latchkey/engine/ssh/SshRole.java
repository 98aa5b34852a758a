package dev.latchkey.engine.ssh;

import dev.latchkey.engine.storage.StoredFields;
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

    /** The fields {@code GET roles/:role} returns for this role's key type (spec §3.2.2). */
    Map<String, Object> toResponse() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (dynamic != null) {
            d.put("admin_user", dynamic.adminUser());
            d.put("allowed_users", allowedUsers);
            d.put("cidr_list", cidrList);
            d.put("command_timeout", dynamic.commandTimeoutSeconds());
            d.put("connect_timeout", dynamic.connectTimeoutSeconds());
            d.put("default_user", defaultUser);
            d.put("exclude_cidr_list", excludeCidrList);
            d.put("host_key_checking", dynamic.hostKeys().mode().wire());
            d.put("host_key_fingerprints", dynamic.hostKeys().fingerprints());
            d.put("install_script", dynamic.installScript());
            d.put("key", dynamic.key());
            d.put("key_bits", dynamic.keyBits());
            d.put("key_option_specs", dynamic.keyOptionSpecs());
            d.put("key_type", keyType.wire());
            d.put("port", port);
            return d;
        }
        if (ca == null) {
            d.put("allowed_users", allowedUsers);
            d.put("cidr_list", cidrList);
            d.put("default_user", defaultUser);
            d.put("exclude_cidr_list", excludeCidrList);
            d.put("key_type", keyType.wire());
            d.put("port", port);
            return d;
        }
        d.put("algorithm_signer", ca.algorithmSigner());
        d.put("allow_bare_domains", ca.allowBareDomains());
        d.put("allow_empty_principals", ca.allowEmptyPrincipals());
        d.put("allow_host_certificates", ca.allowHostCertificates());
        d.put("allow_subdomains", ca.allowSubdomains());
        d.put("allow_user_certificates", ca.allowUserCertificates());
        d.put("allow_user_key_ids", ca.allowUserKeyIds());
        d.put("allowed_critical_options", ca.allowedCriticalOptions());
        d.put("allowed_domains", ca.allowedDomains());
        d.put("allowed_domains_template", ca.allowedDomainsTemplate());
        d.put("allowed_extensions", ca.allowedExtensions());
        d.put("allowed_user_key_lengths", ca.allowedUserKeyLengths());
        d.put("allowed_users", allowedUsers);
        d.put("allowed_users_template", ca.allowedUsersTemplate());
        d.put("default_critical_options", ca.defaultCriticalOptions());
        d.put("default_extensions", ca.defaultExtensions());
        d.put("default_extensions_template", ca.defaultExtensionsTemplate());
        d.put("default_user", defaultUser);
        d.put("default_user_template", ca.defaultUserTemplate());
        d.put("key_id_format", ca.keyIdFormat());
        d.put("key_type", keyType.wire());
        d.put("max_ttl", ca.maxTtl());
        d.put("not_before_duration", ca.notBeforeDuration());
        d.put("ttl", ca.ttl());
        return d;
    }
}
