package dev.latchkey.api.http;

import java.util.Map;

/**
 * A rendered HTTP answer. A null body means no body at all.
 *
 * @param headers extra response headers, such as a redirect's {@code Location}
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Reply {
        headers = Map.copyOf(headers);
    }

    public Reply(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    /** Go's HTTP multiplexer's answer to a path that is not in its clean form. */
    static Reply movedPermanently(String location) {
        return new Reply(301, null, null, Map.of("Location", location));
    }
}
