package dev.latchkey.api.config;

import dev.latchkey.api.http.tls.TlsSettings;

import java.time.Duration;

/**
 * One TCP listener: where it binds, what it accepts of a request, and its TLS (Vault's
 * {@code listener "tcp"} block).
 *
 * @param host                listen host
 * @param port                listen port, 0 for any free one
 * @param maxRequestBodyBytes larger bodies are refused with 413, as Vault's {@code max_request_size}
 * @param json                what one JSON body may hold, as Vault's {@code max_json_*} options
 * @param readHeaderTimeout   a request's line and headers must arrive within this, from the connection's
 *                            start or the previous response (Vault's {@code http_read_header_timeout})
 * @param readTimeout         a request's body must arrive within this once its headers have
 *                            (Vault's {@code http_read_timeout})
 * @param idleTimeout         a keep-alive connection waits this long for its next request (Vault's
 *                            {@code http_idle_timeout})
 * @param maxRequestDuration  a request not answered this long after its headers arrived is answered
 *                            503 and its work told to stop (Vault's {@code max_request_duration})
 * @param maxHeaderBytes      limit on the request line and on the headers, each
 * @param tls                 the certificate, key and client-certificate rules; null for plain HTTP
 * @param unauthenticatedMetrics {@code telemetry { unauthenticated_metrics_access = true }}: this
 *                            listener serves {@code sys/metrics} without a token, sealed or not, unaudited
 */
public record ListenerOptions(String host, int port, long maxRequestBodyBytes, JsonLimits json,
                              Duration readHeaderTimeout, Duration readTimeout, Duration idleTimeout,
                              Duration maxRequestDuration, int maxHeaderBytes, TlsSettings tls,
                              boolean unauthenticatedMetrics) {
    /** Vault's {@code max_request_size} default. */
    public static final long DEFAULT_MAX_REQUEST_BODY = 32L * 1024 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    /** Vault's {@code default_max_request_duration}. */
    public static final Duration DEFAULT_MAX_REQUEST_DURATION = Duration.ofSeconds(90);

    /**
     * A plain-HTTP listener with Vault's limits and deadlines; in seconds, the system properties
     * {@code latchkey.readHeaderTimeout}, {@code latchkey.readTimeout}, {@code latchkey.idleTimeout} and
     * {@code latchkey.maxRequestDuration} override the deadlines for tests.
     */
    public static ListenerOptions plain(String host, int port) {
        return new ListenerOptions(host, port, DEFAULT_MAX_REQUEST_BODY, JsonLimits.VAULT,
                seconds("latchkey.readHeaderTimeout", 10), seconds("latchkey.readTimeout", 30),
                seconds("latchkey.idleTimeout", 300),
                seconds("latchkey.maxRequestDuration", (int) DEFAULT_MAX_REQUEST_DURATION.toSeconds()),
                DEFAULT_MAX_HEADER_BYTES, null, false);
    }

    /** This listener, serving {@code sys/metrics} to anyone or not. */
    public ListenerOptions withUnauthenticatedMetrics(boolean on) {
        return new ListenerOptions(host, port, maxRequestBodyBytes, json, readHeaderTimeout, readTimeout, idleTimeout,
                maxRequestDuration, maxHeaderBytes, tls, on);
    }

    private static Duration seconds(String property, int fallback) {
        return Duration.ofSeconds(Integer.getInteger(property, fallback));
    }
}
