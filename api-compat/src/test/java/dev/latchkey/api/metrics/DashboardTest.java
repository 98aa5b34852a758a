package dev.latchkey.api.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.api.testing.DevServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard in {@code docs/grafana}: every metric its queries name exists in a
 * running server's {@code sys/metrics}, once the server has done a little of everything.
 */
class DashboardTest {
    private static final Path DASHBOARD = Path.of("../docs/grafana/latchkey-dashboard.json");
    /** PromQL words that are not metric names. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    /**
     * The metric names a PromQL expression reads: identifiers that are not functions (followed by
     * {@code (}), keywords, label names (inside braces or a by/without list), quoted text or range
     * durations.
     */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^\\]]*]", "")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < e.length() && Character.isWhitespace(e.charAt(after))) {
                after++;
            }
            boolean function = after < e.length() && e.charAt(after) == '(';
            boolean number = m.start() > 0 && (Character.isDigit(e.charAt(m.start() - 1)) || e.charAt(m.start() - 1) == '.');
            if (!function && !number && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            sum(vault_core_unsealed)                                                                 | vault_core_unsealed
            sum by (family) (rate(latchkey_http_request_duration_seconds_count[$__rate_interval]))  | latchkey_http_request_duration_seconds_count
            histogram_quantile(0.99, sum by (le, op) (rate(x_bucket{a="b",c=~"4..",d!="x"}[5m])))        | x_bucket
            max(vault_core_handle_request{quantile="0.99"}) + sum(increase(y[15m]))                   | vault_core_handle_request y
            a / on(instance) group_left b offset 5m                                                  | a b
            """)
    void theExtractorFindsTheMetricsAQueryReads(String expr, String expected) {
        assertEquals(new TreeSet<>(List.of(expected.split(" "))), metricNames(expr));
    }

    @Test
    void everyMetricTheDashboardQueriesExists() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.get("expr").asText());
            }
        }
        assertTrue(exprs.size() >= 20, "the dashboard's queries: " + exprs.size());
        Set<String> wanted = new TreeSet<>();
        exprs.forEach(e -> wanted.addAll(metricNames(e)));

        Traffic.exercise("dashboard");
        // the usage gauges (tokens, leases, entities) appear with their first count, soon after start
        long deadline = System.nanoTime() + 30_000_000_000L;
        Set<String> missing;
        do {
            String text = DevServer.anonymous().queryParam("format", "prometheus").get("/v1/sys/metrics").asString();
            Scrape s = Scrape.parse(text);
            missing = new TreeSet<>(wanted);
            missing.removeIf(s::has);
            if (!missing.isEmpty()) {
                Thread.sleep(250);
            }
        } while (!missing.isEmpty() && System.nanoTime() < deadline);
        assertFalse(wanted.isEmpty());
        assertTrue(missing.isEmpty(), "queried by the dashboard but not served: " + missing);
    }
}
