package dev.latchkey.engine.lease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a lease into bytes and back, so that stores only ever handle (and seal) opaque bytes. */
public final class LeaseCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private LeaseCodec() {
    }

    public static byte[] encode(Lease lease) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", lease.id());
        m.put("mount_uuid", lease.mountUuid());
        m.put("secret_type", lease.secretType());
        m.put("internal", lease.internalData());
        m.put("token_accessor", lease.tokenAccessor());
        m.put("issue_time", lease.issueTime());
        m.put("expire_time", lease.expireTime());
        m.put("last_renewal", lease.lastRenewal());
        m.put("renewable", lease.renewable());
        m.put("revoke_attempts", lease.revokeAttempts());
        m.put("last_error", lease.lastError());
        m.put("due_time", lease.dueTime());
        try {
            return JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Lease decode(byte[] bytes) {
        try {
            Map<String, Object> m = JSON.readValue(bytes, MAP);
            return new Lease((String) m.get("id"), (String) m.get("mount_uuid"), (String) m.get("secret_type"),
                    (Map<String, Object>) m.get("internal"), (String) m.get("token_accessor"),
                    ((Number) m.get("issue_time")).longValue(), ((Number) m.get("expire_time")).longValue(),
                    ((Number) m.get("last_renewal")).longValue(), (Boolean) m.get("renewable"),
                    ((Number) m.get("revoke_attempts")).intValue(), (String) m.get("last_error"),
                    ((Number) m.get("due_time")).longValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
