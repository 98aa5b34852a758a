package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.PathSpec;

import java.util.Map;

/**
 * What a {@code sign} or {@code issue} request asks for, after field conversion: the request
 * fields both paths share, declared and read here once.
 *
 * @param validPrincipals null when the field was absent
 * @param certType        as sent, {@code user} when absent
 * @param ttlSeconds      requested TTL, or -1 when absent
 */
record CertificateRequest(String roleName, String validPrincipals, String certType, String keyId, long ttlSeconds,
                          Map<String, String> criticalOptions, Map<String, String> extensions, String description,
                          String metadata) {

    /** {@code sign/:role} or {@code issue/:role}, with the fields both declare. */
    static PathSpec path(String verb) {
        return PathSpec.path(verb + "/(?<role>" + PathSpec.NAME + ")")
                .capture("role", "role")
                .field("valid_principals", FieldType.STRING)
                .field("cert_type", FieldType.STRING)
                .field("key_id", FieldType.STRING)
                .field("ttl", FieldType.DURATION)
                .field("critical_options", FieldType.STRING_MAP)
                .field("extensions", FieldType.STRING_MAP)
                .field("description", FieldType.STRING)
                .field("metadata", FieldType.STRING);
    }

    static CertificateRequest from(Fields f) {
        return new CertificateRequest(f.string("role"), f.has("valid_principals") ? f.string("valid_principals") : null,
                f.string("cert_type", "user"), f.string("key_id"), f.has("ttl") ? f.seconds("ttl") : -1,
                f.stringMap("critical_options"), f.stringMap("extensions"), CertificateNotes.description(f.string("description")),
                CertificateNotes.metadata(f.string("metadata")));
    }
}
