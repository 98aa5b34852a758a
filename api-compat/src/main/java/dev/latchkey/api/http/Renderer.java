package dev.latchkey.api.http;

import dev.latchkey.api.core.Call;
import dev.latchkey.api.core.Outcome;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.Response;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns outcomes and errors into Vault's wire forms: the response envelope, 204 for a write with
 * nothing to say, {@code 404 {"errors":[]}} for a read that found nothing, and error bodies.
 */
final class Renderer {
    static final String JSON = "application/json";
    private static final byte[] EMPTY_ERRORS = "{\"errors\":[]}\n".getBytes(StandardCharsets.UTF_8);

    private Renderer() {
    }

    static Reply render(Outcome outcome) {
        Response r = outcome.response();
        if (r.raw() != null) {
            Response.RawBody raw = r.raw();
            return raw.etag() == null ? new Reply(raw.status(), raw.contentType(), raw.body())
                    : new Reply(raw.status(), raw.contentType(), raw.body(), Map.of("ETag", raw.etag()));
        }
        if (!r.hasBody()) {
            boolean readLike = outcome.operation() == Operation.READ || outcome.operation() == Operation.LIST;
            return readLike ? new Reply(404, JSON, EMPTY_ERRORS) : new Reply(204, JSON, null);
        }
        Map<String, Object> env = new LinkedHashMap<>();
        if (r.repeatsDataAtTopLevel() && r.data() != null) {
            env.putAll(r.data());
        }
        env.put("request_id", outcome.requestId() != null ? outcome.requestId() : requestId());
        if (outcome.lease() != null) {
            env.put("lease_id", outcome.lease().id());
            env.put("renewable", outcome.lease().renewable());
            env.put("lease_duration", (outcome.lease().expireTime() - outcome.lease().issueTime()) / 1000);
        } else if (r.leaseEcho() != null) {
            env.put("lease_id", r.leaseEcho().leaseId());
            env.put("renewable", r.leaseEcho().renewable());
            env.put("lease_duration", r.leaseEcho().durationSeconds());
        } else {
            env.put("lease_id", "");
            env.put("renewable", false);
            env.put("lease_duration", 0);
        }
        env.put("data", r.data());
        env.put("wrap_info", null);
        env.put("warnings", r.warnings().isEmpty() ? null : r.warnings());
        env.put("auth", r.auth());
        env.put("mount_type", outcome.mountType());
        return new Reply(r.status(), JSON, Json.write(env));
    }

    /**
     * A random (version 4) UUID. Request IDs correlate logs, they guard nothing: a thread-local
     * generator spares every request a trip through the shared SecureRandom.
     */
    static String requestId() {
        return Call.newRequestId();
    }

    static Reply error(EngineException e) {
        String message = e.getMessage();
        if (e.kind().multiError()) {
            message = "1 error occurred:\n\t* " + message + "\n\n";
        }
        return error(e.status(), message);
    }

    static Reply error(int status, String message) {
        return new Reply(status, JSON, Json.write(Map.of("errors", message == null ? List.of() : List.of(message))));
    }
}
