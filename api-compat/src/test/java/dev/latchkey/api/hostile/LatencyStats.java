package dev.latchkey.api.hostile;

import java.util.Collection;
import java.util.Locale;

/**
 * Latencies of one kind of probe during one attack, as nearest-rank percentiles. Reported, never
 * asserted on: the five-second probe timeout is the only liveness guard.
 *
 * @param count how many probes completed or timed out
 * @param p50   median, in milliseconds
 * @param p99   99th percentile, in milliseconds
 * @param max   slowest, in milliseconds
 */
record LatencyStats(int count, double p50, double p99, double max) {

    static LatencyStats ofNanos(Collection<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencyStats(sorted.length, millis(percentile(sorted, 50)), millis(percentile(sorted, 99)),
                millis(sorted[sorted.length - 1]));
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int pct) {
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** {@code p50/p99/max ms (n)}, or a dash when nothing was measured. */
    String format() {
        if (count == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%s/%s/%s ms (n=%d)", ms(p50), ms(p99), ms(max), count);
    }

    private static String ms(double v) {
        return v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
    }

    @Override
    public String toString() {
        return format();
    }
}
