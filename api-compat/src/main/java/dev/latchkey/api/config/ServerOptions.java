package dev.latchkey.api.config;

import java.time.Duration;

/**
 * How a node listens and runs its work: the listener, its limits and deadlines, the thread pools and
 * the server-wide lease TTLs. {@code server -dev} takes {@link #defaults} for its listen address.
 *
 * @param host                listen host
 * @param port                listen port, 0 for any free one
 * @param workers             threads that run blocking work: storage round trips, SSH sessions, RSA
 * @param unauthenticatedWorkers threads kept for the paths that need no token ({@code ssh/verify},
 *                            {@code ssh/public_key}): hosts' PAM and sshd depend on them, so no amount
 *                            of other work may queue in front of them
 * @param eventLoops          Vert.x event loops, which only parse, route and write
 * @param maxRequestBodyBytes larger bodies are refused with 413, as Vault's {@code max_request_size}
 * @param json                what one JSON body may hold, as Vault's {@code max_json_*} listener options
 * @param readHeaderTimeout   a request's line and headers must arrive within this, from the connection's
 *                            start or the previous response (Vault's {@code http_read_header_timeout})
 * @param readTimeout         a request's body must arrive within this once its headers have
 *                            (Vault's {@code http_read_timeout})
 * @param idleTimeout         a keep-alive connection waits this long for its next request (Vault's
 *                            {@code http_idle_timeout})
 * @param maxHeaderBytes      limit on the request line and on the headers, each
 * @param leaseTtls           the lease TTLs of mounts that set none of their own
 */
public record ServerOptions(String host, int port, int workers, int unauthenticatedWorkers, int eventLoops,
                            long maxRequestBodyBytes, JsonLimits json, Duration readHeaderTimeout,
                            Duration readTimeout, Duration idleTimeout, int maxHeaderBytes,
                            SystemDefaults leaseTtls) {
    /** Vault's {@code max_request_size} default. */
    public static final long DEFAULT_MAX_REQUEST_BODY = 32L * 1024 * 1024;

    /**
     * Vault's limits and deadlines, 16 workers (4 more for unauthenticated paths) and one event loop
     * per core. System properties override for benchmarks and tests: {@code latchkey.workers},
     * {@code latchkey.eventLoops}, and in seconds {@code latchkey.readHeaderTimeout},
     * {@code latchkey.readTimeout}, {@code latchkey.idleTimeout}.
     */
    public static ServerOptions defaults(String host, int port) {
        return new ServerOptions(host, port, Integer.getInteger("latchkey.workers", 16), 4,
                Integer.getInteger("latchkey.eventLoops", Runtime.getRuntime().availableProcessors()),
                DEFAULT_MAX_REQUEST_BODY, JsonLimits.VAULT,
                seconds("latchkey.readHeaderTimeout", 10), seconds("latchkey.readTimeout", 30),
                seconds("latchkey.idleTimeout", 300), 64 * 1024, SystemDefaults.VAULT);
    }

    private static Duration seconds(String property, int fallback) {
        return Duration.ofSeconds(Integer.getInteger(property, fallback));
    }
}
