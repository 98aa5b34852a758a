package dev.latchkey.api.config;

import java.time.Duration;

/**
 * The {@code telemetry} stanza, as far as a Prometheus-scraped node uses it.
 *
 * @param prometheusRetention {@code prometheus_retention_time}: zero turns the Prometheus form of
 *                            {@code sys/metrics} off. Vault drops a series not updated for this long;
 *                            Latchkey keeps every series for the life of the process (a counter
 *                            that vanished and came back would read as a reset), so any positive
 *                            value only means "on"
 * @param disableHostname     {@code disable_hostname}: when false, as in Vault, the host name is put
 *                            into the name of every {@code vault_} gauge ({@code vault_<host>_core_unsealed});
 *                            dashboards expect true
 * @param usageGaugePeriod    {@code usage_gauge_period}: how often the gauges that count what is
 *                            stored (tokens, leases, entities) are recounted; zero for {@code none}
 */
public record TelemetryOptions(Duration prometheusRetention, boolean disableHostname, Duration usageGaugePeriod) {
    /** Vault's defaults inside a {@code telemetry} block. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    public static final Duration DEFAULT_USAGE_GAUGE_PERIOD = Duration.ofMinutes(10);

    /** No {@code telemetry} block: metrics are kept for the JSON form, Prometheus is off, host names are in gauge names. */
    public static final TelemetryOptions NONE = new TelemetryOptions(Duration.ZERO, false, DEFAULT_USAGE_GAUGE_PERIOD);

    /**
     * Dev mode. Vault's dev server has no {@code telemetry} block, so its Prometheus form is off;
     * Latchkey's dev server turns it on, with the settings dashboards expect, so that the metrics
     * can be tried without a configuration file.
     */
    public static final TelemetryOptions DEV = new TelemetryOptions(DEFAULT_RETENTION, true, DEFAULT_USAGE_GAUGE_PERIOD);

    public TelemetryOptions {
        if (prometheusRetention.isNegative() || usageGaugePeriod.isNegative()) {
            throw new IllegalArgumentException("telemetry durations cannot be negative");
        }
    }

    public boolean prometheusEnabled() {
        return !prometheusRetention.isZero();
    }
}
