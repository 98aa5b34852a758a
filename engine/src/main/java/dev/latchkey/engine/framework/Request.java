package dev.latchkey.engine.framework;

import java.util.Map;

/**
 * A logical request as an engine sees it.
 *
 * @param operation     what is asked
 * @param path          the path relative to the mount, e.g. {@code "creds/web"}; a list keeps its trailing slash
 * @param rawFields     body or query fields as parsed, before any type conversion: String, Boolean,
 *                      Integer, Long or BigInteger (whichever holds the number), BigDecimal, List,
 *                      Map or null values
 * @param clientToken   the raw token the request carried ("" if none): only the token backend
 *                      reads it; engines never store or log it
 * @param caller        the caller's token facts
 * @param clientAddress the remote address of the HTTP client
 * @param mount         the mount the request was routed through
 * @param cancellation  whether the client still waits: long work asks it and stops when not
 */
public record Request(Operation operation, String path, Map<String, Object> rawFields, String clientToken,
                      Caller caller, String clientAddress, MountInfo mount, Cancellation cancellation) {
    /** A request whose client never goes away: in-process callers and tests. */
    public Request(Operation operation, String path, Map<String, Object> rawFields, String clientToken,
                   Caller caller, String clientAddress, MountInfo mount) {
        this(operation, path, rawFields, clientToken, caller, clientAddress, mount, Cancellation.NEVER);
    }
}
