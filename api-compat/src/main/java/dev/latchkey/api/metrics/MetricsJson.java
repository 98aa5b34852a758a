package dev.latchkey.api.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default (JSON) form of {@code sys/metrics}, in the shape of Vault's in-memory summary:
 * {@code Timestamp}, {@code Gauges}, {@code Points}, {@code Counters} and {@code Samples}, each
 * entry with {@code Name} and {@code Labels}. Two departures: names are the Prometheus names
 * ({@code vault_core_unsealed}, not {@code vault.core.unsealed}), and counters and samples hold
 * totals since the node started rather than the last ten-second interval's, with {@code Rate}
 * averaged over that time; minimum, maximum and deviation are not tracked and read 0.
 */
final class MetricsJson {
    /** Go's {@code time.Time.String()} for a UTC time. */
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'")
            .withZone(ZoneOffset.UTC);

    private MetricsJson() {
    }

    static Map<String, Object> of(MetricSnapshots snapshots, double uptimeSeconds) {
        List<Map<String, Object>> gauges = new ArrayList<>();
        List<Map<String, Object>> counters = new ArrayList<>();
        List<Map<String, Object>> samples = new ArrayList<>();
        double seconds = Math.max(1, uptimeSeconds);
        for (MetricSnapshot s : snapshots) {
            String name = s.getMetadata().getPrometheusName();
            if (s instanceof GaugeSnapshot g) {
                for (GaugeSnapshot.GaugeDataPointSnapshot p : g.getDataPoints()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("Name", name);
                    e.put("Value", p.getValue());
                    e.put("Labels", labels(p));
                    gauges.add(e);
                }
            } else if (s instanceof CounterSnapshot c) {
                for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
                    counters.add(aggregate(name + "_total", p, p.getValue(), p.getValue(), seconds));
                }
            } else if (s instanceof UnknownSnapshot u) {
                for (UnknownSnapshot.UnknownDataPointSnapshot p : u.getDataPoints()) {
                    counters.add(aggregate(name, p, p.getValue(), p.getValue(), seconds));
                }
            } else if (s instanceof SummarySnapshot sum) {
                for (SummarySnapshot.SummaryDataPointSnapshot p : sum.getDataPoints()) {
                    samples.add(aggregate(name, p, p.getCount(), p.getSum(), seconds));
                }
            } else if (s instanceof HistogramSnapshot h) {
                for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
                    samples.add(aggregate(name, p, p.getCount(), p.getSum(), seconds));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        out.put("Timestamp", GO_TIME.format(Instant.ofEpochMilli(now - now % 10_000)));
        out.put("Gauges", gauges);
        out.put("Points", List.of());
        out.put("Counters", counters);
        out.put("Samples", samples);
        return out;
    }

    private static Map<String, Object> aggregate(String name, DataPointSnapshot p, double count, double sum,
                                                 double seconds) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Name", name);
        e.put("Count", (long) count);
        e.put("Rate", sum / seconds);
        e.put("Sum", sum);
        e.put("Min", 0.0);
        e.put("Max", 0.0);
        e.put("Mean", count == 0 ? 0.0 : sum / count);
        e.put("Stddev", 0.0);
        e.put("Labels", labels(p));
        return e;
    }

    private static Map<String, String> labels(DataPointSnapshot p) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Label l : p.getLabels()) {
            out.put(l.getName(), l.getValue());
        }
        return out;
    }
}
