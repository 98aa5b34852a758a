package dev.latchkey.api.config.file;

import dev.latchkey.api.config.JsonLimits;
import dev.latchkey.api.http.tls.TlsSettings;

/**
 * One {@code listener "tcp" {}} stanza, with Vault's defaults filled in.
 *
 * @param host                  from {@code address} (default {@code 127.0.0.1:8200}); IPv6 without brackets
 * @param port                  from {@code address}
 * @param tls                   null when {@code tls_disable} is true; otherwise the certificate files
 *                              (checked to exist), versions and client-certificate options
 * @param maxRequestSize        {@code max_request_size}, bytes; 32 MiB by default; negative: no limit
 * @param maxRequestDurationSeconds {@code max_request_duration}, else the top-level
 *                              {@code default_max_request_duration}, else 90
 * @param httpReadHeaderTimeoutSeconds {@code http_read_header_timeout}, 10 by default
 * @param httpReadTimeoutSeconds {@code http_read_timeout}, 30 by default
 * @param httpIdleTimeoutSeconds {@code http_idle_timeout}, 300 by default
 * @param jsonLimits            the four {@code max_json_*} options (the whole-body bound is Latchkey's)
 * @param origin                where the stanza's address was written, {@code file:line}, for messages
 *                              about it found after loading (an address in use)
 * @param unauthenticatedMetrics {@code telemetry { unauthenticated_metrics_access }}, false by default
 */
public record ListenerConfig(String host, int port, TlsSettings tls, long maxRequestSize,
                             long maxRequestDurationSeconds, long httpReadHeaderTimeoutSeconds,
                             long httpReadTimeoutSeconds, long httpIdleTimeoutSeconds, JsonLimits jsonLimits,
                             String origin, boolean unauthenticatedMetrics) {
    public boolean tlsDisabled() {
        return tls == null;
    }

    /** {@code http://host:port} or {@code https://host:port}, IPv6 in brackets. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls == null ? "http" : "https") + "://" + h + ":" + port;
    }
}
