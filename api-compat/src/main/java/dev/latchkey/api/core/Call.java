package dev.latchkey.api.core;

import dev.latchkey.engine.framework.Cancellation;
import dev.latchkey.engine.framework.Operation;

import java.util.Map;

/**
 * A parsed API request, independent of HTTP.
 *
 * @param path   the path after {@code /v1/}, already cleaned; lists end with {@code /}
 * @param token  the client token, "" if none
 * @param cancellation true once the HTTP client has gone
 * @param requestId    the envelope's {@code request_id}, which the audit entries share
 */
public record Call(Operation operation, String path, Map<String, Object> fields, String token, String clientAddress,
                   Cancellation cancellation, String requestId) {
    /** A call with a fresh request ID. */
    public Call(Operation operation, String path, Map<String, Object> fields, String token, String clientAddress,
                Cancellation cancellation) {
        this(operation, path, fields, token, clientAddress, cancellation, newRequestId());
    }

    /** A random (version 4) UUID, from a thread-local generator: a request ID is no secret. */
    public static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return new java.util.UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & ~(0xC0L << 56)) | (0x80L << 56))
                .toString();
    }
}
