package dev.latchkey.api.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What the server did to an attacker's requests or connections, tallied by a short label: an HTTP
 * status ({@code "400"}), {@code "closed"} (the connection ended without an answer), or a failure of
 * the server to act ({@code "no answer in 5 s"}, {@code "open after 8 s"}, {@code "refused"}). The first detail seen
 * for each label (an error body, a timing) is kept for failure messages.
 */
final class Outcomes {
    static final String CLOSED = "closed";
    /** The connection could not even be opened: nothing listens any more. */
    static final String REFUSED = "refused";
    private static final int DETAIL_CHARS = 160;

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstDetail = new ConcurrentHashMap<>();
    private final Map<String, Double> slowest = new ConcurrentHashMap<>();

    void add(String label) {
        add(label, "");
    }

    void add(String label, String detail) {
        counts.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
        if (detail != null && !detail.isBlank()) {
            String d = detail.replaceAll("\\s+", " ");
            firstDetail.putIfAbsent(label, d.length() > DETAIL_CHARS ? d.substring(0, DETAIL_CHARS) + "…" : d);
        }
    }

    /** Tallies an exchange, remembering the slowest for its label. */
    void add(RawHttp.Exchange e) {
        add(e.label(), e.snippet());
        slowest.merge(e.label(), e.seconds(), Math::max);
    }

    /** Requests sent or connections opened. */
    int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Label to count, sorted by label. */
    Map<String, Integer> counts() {
        Map<String, Integer> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** {@code 400 ×16 (slowest 0.2 s), closed ×2}: the timing for information only. */
    String summary() {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts().entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()
                        + (slowest.containsKey(e.getKey())
                        ? String.format(Locale.ROOT, " (slowest %.1f s)", slowest.get(e.getKey())) : ""))
                .collect(Collectors.joining(", "));
    }

    /** The labels the expectation refuses, each with its count and first detail. */
    List<String> unacceptable(Attack.Expectation expectation) {
        List<String> bad = new ArrayList<>();
        counts().forEach((label, n) -> {
            if (!expectation.accepts(label)) {
                String detail = firstDetail.get(label);
                bad.add(n + " × " + label + (detail == null ? "" : " (first: " + detail + ")"));
            }
        });
        return bad;
    }

    /** Every label with its first detail, for the log. */
    String details() {
        return counts().keySet().stream()
                .map(l -> l + (firstDetail.containsKey(l) ? ": " + firstDetail.get(l) : ""))
                .collect(Collectors.joining("; "));
    }
}
