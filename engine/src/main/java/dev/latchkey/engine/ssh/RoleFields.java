package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.FieldType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every field {@code roles/:role} declares, for all key types. */
final class RoleFields {
    static final Map<String, FieldType> ALL;

    static {
        Map<String, FieldType> m = new LinkedHashMap<>();
        m.put("key_type", FieldType.STRING);
        m.put("default_user", FieldType.STRING);
        m.put("default_user_template", FieldType.BOOL);
        m.put("cidr_list", FieldType.STRING);
        m.put("exclude_cidr_list", FieldType.STRING);
        m.put("port", FieldType.INT);
        m.put("allowed_users", FieldType.STRING);
        m.put("allowed_users_template", FieldType.BOOL);
        m.put("allowed_domains", FieldType.STRING);
        m.put("allowed_domains_template", FieldType.BOOL);
        m.put("ttl", FieldType.DURATION);
        m.put("max_ttl", FieldType.DURATION);
        m.put("allowed_critical_options", FieldType.STRING);
        m.put("allowed_extensions", FieldType.STRING);
        m.put("default_critical_options", FieldType.STRING_MAP);
        m.put("default_extensions", FieldType.STRING_MAP);
        m.put("default_extensions_template", FieldType.BOOL);
        m.put("allow_user_certificates", FieldType.BOOL);
        m.put("allow_host_certificates", FieldType.BOOL);
        m.put("allow_bare_domains", FieldType.BOOL);
        m.put("allow_subdomains", FieldType.BOOL);
        m.put("allow_user_key_ids", FieldType.BOOL);
        m.put("key_id_format", FieldType.STRING);
        m.put("allowed_user_key_lengths", FieldType.MAP);
        m.put("algorithm_signer", FieldType.STRING);
        m.put("not_before_duration", FieldType.DURATION);
        m.put("allow_empty_principals", FieldType.BOOL);
        m.put("issuer_ref", FieldType.STRING);
        m.put("key", FieldType.STRING);
        m.put("admin_user", FieldType.STRING);
        m.put("key_bits", FieldType.INT);
        m.put("install_script", FieldType.STRING);
        m.put("key_option_specs", FieldType.STRING);
        // beyond Vault, dynamic roles only
        m.put("host_key_checking", FieldType.STRING);
        m.put("host_key_fingerprints", FieldType.COMMA_STRING_SLICE);
        m.put("connect_timeout", FieldType.DURATION);
        m.put("command_timeout", FieldType.DURATION);
        ALL = Collections.unmodifiableMap(m); // in declaration order, as the role path lists them
    }

    private RoleFields() {
    }
}
