package dev.latchkey.testing;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.framework.SecretSpec;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the engine answered one {@link BackendHarness} request: a response, or the error the HTTP
 * layer would turn into a status and an {@code errors} list. The accessors fail the test with the
 * other half when the answer is not the expected kind.
 *
 * @param request  operation and path, for failure messages
 * @param response the response, or null when the engine threw
 * @param error    the engine's error, or null when it answered
 */
public record Reply(String request, Response response, EngineException error) {
    /** The response, failing the test if the engine answered with an error. */
    public Response ok() {
        if (error != null) {
            throw new AssertionError(request + " answered " + error.status() + " " + error.getMessage(), error);
        }
        return response;
    }

    /** The response's data: null for an answer without body (204 on a write, 404 on a read). */
    public Map<String, Object> data() {
        return ok().data();
    }

    public List<String> warnings() {
        return ok().warnings();
    }

    /** The secret the engine wants leased, or null. */
    public SecretSpec secret() {
        return ok().secret();
    }

    /** The engine's error, failing the test if it answered instead. */
    public EngineException failure() {
        if (error == null) {
            throw new AssertionError(request + " answered " + (response.hasBody() ? "data " + response.data()
                    : "without body") + " where an error was expected");
        }
        return error;
    }

    /** Asserts the HTTP status and the message (the single item of Vault's {@code errors} list for engine errors). */
    public void assertError(int status, String message) {
        EngineException e = failure();
        assertEquals(status + " " + message, e.status() + " " + e.getMessage(), request);
    }

    /** Asserts a write or delete that succeeded without a body: Vault's 204. */
    public void assertNoContent() {
        if (ok().hasBody()) {
            throw new AssertionError(request + " answered data " + response.data() + " where 204 was expected");
        }
    }
}
