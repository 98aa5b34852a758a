package dev.latchkey.api.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vault's counters under Vault's exact names. The Prometheus client appends {@code _total} to
 * every counter it exposes, which would rename {@code vault_token_creation} and break the
 * dashboards and alerts written for Vault; so these are counted here and exposed as untyped
 * samples, which keep their names and which {@code rate()} and {@code increase()} read as they
 * read a counter. Only the TYPE comment differs from Vault's output.
 */
final class UntypedCounters implements MultiCollector {
    /** One counter name with its label names and a count per set of label values. */
    static final class Family {
        private final String name;
        private final String help;
        private final String[] labelNames;
        private final Map<List<String>, LongAdder> counts = new ConcurrentHashMap<>();

        private Family(String name, String help, String... labelNames) {
            this.name = name;
            this.help = help;
            this.labelNames = labelNames.clone();
        }

        void add(long amount, String... labelValues) {
            if (labelValues.length != labelNames.length) {
                throw new IllegalArgumentException(name + " takes " + labelNames.length + " label values");
            }
            counts.computeIfAbsent(List.of(labelValues), k -> new LongAdder()).add(amount);
        }

        void inc(String... labelValues) {
            add(1, labelValues);
        }

        private MetricSnapshot snapshot() {
            UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(name).help(help);
            counts.forEach((values, count) -> {
                Labels.Builder labels = Labels.builder();
                for (int i = 0; i < labelNames.length; i++) {
                    labels.label(labelNames[i], values.get(i));
                }
                b.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(count.sum())
                        .labels(labels.build()).build());
            });
            return b.build();
        }
    }

    private final List<Family> families = new ArrayList<>();

    synchronized Family family(String name, String help, String... labelNames) {
        Family f = new Family(name, help, labelNames);
        families.add(f);
        return f;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Family f : families) {
            out.metricSnapshot(f.snapshot());
        }
        return out.build();
    }

    @Override
    public synchronized List<String> getPrometheusNames() {
        return families.stream().map(f -> f.name).toList();
    }
}
