package dev.latchkey.api.config;

import java.util.List;

/**
 * How a node listens and runs its work: its listeners, the thread pools and the server-wide lease
 * TTLs. {@code server -dev} takes {@link #defaults} for its listen address; {@code server -config}
 * builds them from the configuration file.
 *
 * @param listeners              at least one; each with its own limits and TLS
 * @param workers                threads that run blocking work: storage round trips, SSH sessions, RSA
 * @param unauthenticatedWorkers threads kept for the paths that need no token ({@code ssh/verify},
 *                               {@code ssh/public_key}): hosts' PAM and sshd depend on them, so no amount
 *                               of other work may queue in front of them
 * @param eventLoops             Vert.x event loops, which only parse, route and write
 * @param leaseTtls              the lease TTLs of mounts that set none of their own
 * @param telemetry              the {@code telemetry} stanza
 */
public record ServerOptions(List<ListenerOptions> listeners, int workers, int unauthenticatedWorkers, int eventLoops,
                            SystemDefaults leaseTtls, TelemetryOptions telemetry) {
    public ServerOptions {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one listener");
        }
    }

    /**
     * One plain listener with Vault's limits and deadlines, 16 workers (4 more for unauthenticated
     * paths) and one event loop per core; the system properties {@code latchkey.workers},
     * {@code latchkey.unauthenticatedWorkers} and {@code latchkey.eventLoops} override the pools for
     * benchmarks and tests.
     */
    public static ServerOptions defaults(String host, int port) {
        return withListeners(List.of(ListenerOptions.plain(host, port)), SystemDefaults.VAULT);
    }

    /** The given listeners and lease TTLs, with the default pools. */
    public static ServerOptions withListeners(List<ListenerOptions> listeners, SystemDefaults leaseTtls) {
        return new ServerOptions(listeners, Integer.getInteger("latchkey.workers", 16),
                Integer.getInteger("latchkey.unauthenticatedWorkers", 4),
                Integer.getInteger("latchkey.eventLoops", Runtime.getRuntime().availableProcessors()), leaseTtls,
                TelemetryOptions.NONE);
    }

    public ServerOptions withTelemetry(TelemetryOptions options) {
        return new ServerOptions(listeners, workers, unauthenticatedWorkers, eventLoops, leaseTtls, options);
    }

    /**
     * As {@code vault server -dev} runs: its listener serves {@code sys/metrics} without a token,
     * and (unlike Vault's dev server) the Prometheus form is on.
     */
    public ServerOptions forDev() {
        return new ServerOptions(listeners.stream().map(l -> l.withUnauthenticatedMetrics(true)).toList(), workers,
                unauthenticatedWorkers, eventLoops, leaseTtls, TelemetryOptions.DEV);
    }
}
