package dev.latchkey.api.config;

import java.time.Duration;

/**
 * How a node listens and runs its work: the listener, the thread pools, the request limits and the
 * server-wide lease TTLs. {@code server -dev} takes {@link #defaults} for its listen address.
 *
 * @param host                listen host
 * @param port                listen port, 0 for any free one
 * @param workers             threads that run blocking work: storage round trips, SSH sessions, RSA
 * @param eventLoops          Vert.x event loops, which only parse, route and write
 * @param maxRequestBodyBytes larger bodies are refused with 413, as Vault's {@code max_request_size}
 * @param idleTimeout         a connection idle this long is closed
 * @param maxHeaderBytes      limit on the request line and on the headers, each
 * @param leaseTtls           the lease TTLs of mounts that set none of their own
 */
public record ServerOptions(String host, int port, int workers, int eventLoops, long maxRequestBodyBytes,
                            Duration idleTimeout, int maxHeaderBytes, SystemDefaults leaseTtls) {
    /** Vault's {@code max_request_size} default. */
    public static final long DEFAULT_MAX_REQUEST_BODY = 32L * 1024 * 1024;

    /**
     * Vault's limits, 16 workers and one event loop per core; the system properties
     * {@code latchkey.workers} and {@code latchkey.eventLoops} override the pools for benchmarks.
     */
    public static ServerOptions defaults(String host, int port) {
        return new ServerOptions(host, port, Integer.getInteger("latchkey.workers", 16),
                Integer.getInteger("latchkey.eventLoops", Runtime.getRuntime().availableProcessors()),
                DEFAULT_MAX_REQUEST_BODY, Duration.ofSeconds(90), 64 * 1024, SystemDefaults.VAULT);
    }
}
