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
 */
public record Call(Operation operation, String path, Map<String, Object> fields, String token, String clientAddress,
                   Cancellation cancellation) {
}
