package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.StoredFields;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the inventory keeps of one certificate {@code sign} or {@code issue} produced: every fact
 * of the certificate, who asked for it and from where, and the two fields an operator may change
 * afterwards ({@code description}, {@code metadata}). Times are seconds since the epoch.
 *
 * @param signedKey   the certificate itself, as the one-line text {@code sign} answered
 * @param accessor    the requesting token's accessor ("" without a token); never the token
 * @param revokedAt   0 while the certificate is not revoked by its serial
 */
public record CertRecord(long serial, String keyId, String issuerId, String role, String certType,
                         List<String> principals, Map<String, String> criticalOptions, Map<String, String> extensions,
                         long validAfter, long validBefore, String keyType, String keyFingerprint, String signedKey,
                         String accessor, String displayName, String remoteAddress, long issuedAt,
                         String description, String metadata, long revokedAt, String revocationReason) {

    public CertRecord {
        principals = List.copyOf(principals);
        criticalOptions = Map.copyOf(criticalOptions);
        extensions = Map.copyOf(extensions);
    }

    /** Whether it can still be used at {@code now}, revocation aside. */
    public boolean expiredAt(long now) {
        return validBefore != -1 && Long.compareUnsigned(now, validBefore) >= 0;
    }

    public CertRecord annotated(String newDescription, String newMetadata) {
        return new CertRecord(serial, keyId, issuerId, role, certType, principals, criticalOptions, extensions,
                validAfter, validBefore, keyType, keyFingerprint, signedKey, accessor, displayName, remoteAddress,
                issuedAt, newDescription, newMetadata, revokedAt, revocationReason);
    }

    public CertRecord revoked(long at, String reason) {
        return new CertRecord(serial, keyId, issuerId, role, certType, principals, criticalOptions, extensions,
                validAfter, validBefore, keyType, keyFingerprint, signedKey, accessor, displayName, remoteAddress,
                issuedAt, description, metadata, at, reason);
    }

    byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serial", Serials.key(serial));
        m.put("key_id", keyId);
        m.put("issuer_id", issuerId);
        m.put("role", role);
        m.put("cert_type", certType);
        m.put("principals", principals);
        m.put("critical_options", new TreeMap<>(criticalOptions));
        m.put("extensions", new TreeMap<>(extensions));
        m.put("valid_after", validAfter);
        m.put("valid_before", validBefore);
        m.put("key_type", keyType);
        m.put("key_fingerprint", keyFingerprint);
        m.put("signed_key", signedKey);
        m.put("accessor", accessor);
        m.put("display_name", displayName);
        m.put("remote_address", remoteAddress);
        m.put("issued_at", issuedAt);
        m.put("description", description);
        m.put("metadata", metadata);
        m.put("revoked_at", revokedAt);
        m.put("revocation_reason", revocationReason);
        return JsonValues.encode(m);
    }

    static CertRecord decode(byte[] raw) {
        Map<String, Object> m = JsonValues.decode(raw);
        return new CertRecord(Long.parseUnsignedLong(StoredFields.text(m, "serial"), 16), StoredFields.text(m, "key_id"),
                StoredFields.text(m, "issuer_id"), StoredFields.text(m, "role"), StoredFields.text(m, "cert_type"),
                StoredFields.strings(m, "principals"), strings(m.get("critical_options")), strings(m.get("extensions")),
                StoredFields.number(m, "valid_after", 0), StoredFields.number(m, "valid_before", 0),
                StoredFields.text(m, "key_type"), StoredFields.text(m, "key_fingerprint"), StoredFields.text(m, "signed_key"),
                StoredFields.text(m, "accessor"), StoredFields.text(m, "display_name"),
                StoredFields.text(m, "remote_address"), StoredFields.number(m, "issued_at", 0),
                StoredFields.text(m, "description"), StoredFields.text(m, "metadata"),
                StoredFields.number(m, "revoked_at", 0), StoredFields.text(m, "revocation_reason"));
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new TreeMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        return out;
    }

    /** The answer of {@code cert/:serial}: the record, its state now, and the certificate. */
    public Map<String, Object> describe(String state) {
        Map<String, Object> m = summary(state);
        m.put("critical_options", new TreeMap<>(criticalOptions));
        m.put("extensions", new TreeMap<>(extensions));
        m.put("valid_after_unix", validAfter);
        m.put("valid_before_unix", validBefore);
        m.put("key_type", keyType);
        m.put("key_fingerprint", keyFingerprint);
        m.put("token_accessor", accessor);
        m.put("token_display_name", displayName);
        m.put("remote_address", remoteAddress);
        m.put("issued_at", rfc3339(issuedAt));
        m.put("description", description);
        m.put("metadata", metadata);
        m.put("revocation_time", revokedAt == 0 ? null : rfc3339(revokedAt));
        m.put("revocation_reason", revocationReason);
        m.put("signed_key", signedKey);
        return m;
    }

    /** What {@code LIST certs} gives per entry in {@code key_info}. */
    public Map<String, Object> summary(String state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serial_number", Serials.vault(serial));
        m.put("key_id", keyId);
        m.put("issuer_id", issuerId);
        m.put("role", role);
        m.put("cert_type", certType);
        m.put("principals", principals);
        m.put("valid_after", rfc3339(validAfter));
        m.put("valid_before", validBefore == -1 ? "forever" : rfc3339(validBefore));
        m.put("state", state);
        return m;
    }

    static String rfc3339(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).toString();
    }
}
