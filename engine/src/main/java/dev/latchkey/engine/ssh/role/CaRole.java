package dev.latchkey.engine.ssh.role;

import dev.latchkey.engine.storage.StoredFields;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificate-signing settings of a {@code ca} role. The
 * default user and allowed users live on {@link SshRole}, shared with the other key types.
 */
public record CaRole(boolean defaultUserTemplate, boolean allowedUsersTemplate, String allowedDomains,
                     boolean allowedDomainsTemplate, long ttl, long maxTtl, String allowedCriticalOptions,
                     String allowedExtensions, Map<String, String> defaultCriticalOptions,
                     Map<String, String> defaultExtensions, boolean defaultExtensionsTemplate,
                     boolean allowUserCertificates, boolean allowHostCertificates, boolean allowBareDomains,
                     boolean allowSubdomains, boolean allowUserKeyIds, String keyIdFormat,
                     Map<String, List<Integer>> allowedUserKeyLengths, String algorithmSigner,
                     long notBeforeDuration, boolean allowEmptyPrincipals, String issuerRef) {

    /** @param issuerRef the issuer this role signs with (OpenBao's field): an ID, a name, or {@code default} */
    public CaRole {
        issuerRef = issuerRef == null || issuerRef.isEmpty() ? "default" : issuerRef;
        defaultCriticalOptions = Map.copyOf(defaultCriticalOptions);
        defaultExtensions = Map.copyOf(defaultExtensions);
        allowedUserKeyLengths = Map.copyOf(allowedUserKeyLengths);
    }

    void writeTo(Map<String, Object> m) {
        m.put("default_user_template", defaultUserTemplate);
        m.put("allowed_users_template", allowedUsersTemplate);
        m.put("allowed_domains", allowedDomains);
        m.put("allowed_domains_template", allowedDomainsTemplate);
        m.put("ttl", ttl);
        m.put("max_ttl", maxTtl);
        m.put("allowed_critical_options", allowedCriticalOptions);
        m.put("allowed_extensions", allowedExtensions);
        m.put("default_critical_options", new LinkedHashMap<>(defaultCriticalOptions));
        m.put("default_extensions", new LinkedHashMap<>(defaultExtensions));
        m.put("default_extensions_template", defaultExtensionsTemplate);
        m.put("allow_user_certificates", allowUserCertificates);
        m.put("allow_host_certificates", allowHostCertificates);
        m.put("allow_bare_domains", allowBareDomains);
        m.put("allow_subdomains", allowSubdomains);
        m.put("allow_user_key_ids", allowUserKeyIds);
        m.put("key_id_format", keyIdFormat);
        m.put("allowed_user_key_lengths", new LinkedHashMap<>(allowedUserKeyLengths));
        m.put("algorithm_signer", algorithmSigner);
        m.put("not_before_duration", notBeforeDuration);
        m.put("allow_empty_principals", allowEmptyPrincipals);
        m.put("issuer_ref", issuerRef);
    }

    /** This role's fields as {@code GET roles/:role} shows them. */
    void writeResponse(Map<String, Object> d) {
        d.put("algorithm_signer", algorithmSigner);
        d.put("allow_bare_domains", allowBareDomains);
        d.put("allow_empty_principals", allowEmptyPrincipals);
        d.put("allow_host_certificates", allowHostCertificates);
        d.put("allow_subdomains", allowSubdomains);
        d.put("allow_user_certificates", allowUserCertificates);
        d.put("allow_user_key_ids", allowUserKeyIds);
        d.put("allowed_critical_options", allowedCriticalOptions);
        d.put("allowed_domains", allowedDomains);
        d.put("allowed_domains_template", allowedDomainsTemplate);
        d.put("allowed_extensions", allowedExtensions);
        d.put("allowed_user_key_lengths", allowedUserKeyLengths);
        d.put("allowed_users_template", allowedUsersTemplate);
        d.put("default_critical_options", defaultCriticalOptions);
        d.put("default_extensions", defaultExtensions);
        d.put("default_extensions_template", defaultExtensionsTemplate);
        d.put("default_user_template", defaultUserTemplate);
        d.put("issuer_ref", issuerRef);
        d.put("key_id_format", keyIdFormat);
        d.put("max_ttl", maxTtl);
        d.put("not_before_duration", notBeforeDuration);
        d.put("ttl", ttl);
    }

    @SuppressWarnings("unchecked")
    static CaRole readFrom(Map<String, Object> m) {
        Map<String, List<Integer>> lengths = new LinkedHashMap<>();
        if (m.get("allowed_user_key_lengths") instanceof Map<?, ?> raw) {
            raw.forEach((k, v) -> lengths.put((String) k,
                    ((List<Object>) v).stream().map(n -> ((Number) n).intValue()).toList()));
        }
        return new CaRole(StoredFields.flag(m, "default_user_template"), StoredFields.flag(m, "allowed_users_template"),
                StoredFields.text(m, "allowed_domains"), StoredFields.flag(m, "allowed_domains_template"), StoredFields.number(m, "ttl", 0), StoredFields.number(m, "max_ttl", 0),
                StoredFields.text(m, "allowed_critical_options"), StoredFields.text(m, "allowed_extensions"),
                strings(m, "default_critical_options"), strings(m, "default_extensions"),
                StoredFields.flag(m, "default_extensions_template"), StoredFields.flag(m, "allow_user_certificates"),
                StoredFields.flag(m, "allow_host_certificates"), StoredFields.flag(m, "allow_bare_domains"), StoredFields.flag(m, "allow_subdomains"),
                StoredFields.flag(m, "allow_user_key_ids"), StoredFields.text(m, "key_id_format"), lengths, StoredFields.text(m, "algorithm_signer"),
                StoredFields.number(m, "not_before_duration", 0), StoredFields.flag(m, "allow_empty_principals"),
                StoredFields.text(m, "issuer_ref")); // absent in roles stored before issuers: default
    }

    private static Map<String, String> strings(Map<String, Object> m, String k) {
        Map<String, String> out = new LinkedHashMap<>();
        if (m.get(k) instanceof Map<?, ?> raw) {
            raw.forEach((key, value) -> out.put(String.valueOf(key), String.valueOf(value)));
        }
        return out;
    }
}
