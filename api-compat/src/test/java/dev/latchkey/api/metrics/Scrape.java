package dev.latchkey.api.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code sys/metrics?format=prometheus} answer as the Prometheus project's own Python client
 * parses it ({@code prometheus_client.parser}, Debian's python3-prometheus-client): the oracle that
 * the exposition is valid text format, and the reader of every sample the tests look at.
 */
final class Scrape {
    /** Python writes an empty summary's quantiles as NaN, as the text format does. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
    private static final String PARSER = String.join("\n",
            "import json, sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "out = []",
            "for f in text_string_to_metric_families(sys.stdin.read()):",
            "    out.append({'name': f.name, 'type': f.type, 'samples': [",
            "        {'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]})",
            "print(json.dumps(out))");

    /** Family name to type. */
    final Map<String, String> types = new TreeMap<>();
    /** Every sample name (a histogram's {@code _bucket}, {@code _count} and {@code _sum} among them). */
    final Set<String> sampleNames = new HashSet<>();
    private final JsonNode families;

    private Scrape(JsonNode families) {
        this.families = families;
        for (JsonNode f : families) {
            types.put(f.get("name").asText(), f.get("type").asText());
            for (JsonNode s : f.get("samples")) {
                sampleNames.add(s.get("name").asText());
            }
        }
    }

    /** Parses the text; a parse error fails the test with the parser's message. */
    static Scrape parse(String text) throws IOException, InterruptedException {
        Path in = Files.createTempFile("scrape", ".txt");
        try {
            Files.writeString(in, text, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", PARSER)
                    .redirectInput(in.toFile()).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("the Prometheus parser refused the exposition: " + err);
            }
            return new Scrape(JSON.readTree(out));
        } finally {
            Files.deleteIfExists(in);
        }
    }

    /** Whether a sample or family of this name exists. */
    boolean has(String name) {
        return sampleNames.contains(name) || types.containsKey(name);
    }

    /** The sum of the samples named {@code sample} whose labels include every pair of {@code labels}. */
    double sum(String sample, Map<String, String> labels) {
        double total = 0;
        for (JsonNode f : families) {
            for (JsonNode s : f.get("samples")) {
                if (s.get("name").asText().equals(sample) && matches(s.get("labels"), labels)) {
                    total += s.get("value").asDouble();
                }
            }
        }
        return total;
    }

    double sum(String sample) {
        return sum(sample, Map.of());
    }

    private static boolean matches(JsonNode have, Map<String, String> want) {
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!have.has(e.getKey()) || !have.get(e.getKey()).asText().equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The label names a family's samples carry. */
    Set<String> labelNames(String sample) {
        Set<String> names = new HashSet<>();
        for (JsonNode f : families) {
            for (JsonNode s : f.get("samples")) {
                if (s.get("name").asText().equals(sample)) {
                    Iterator<String> it = s.get("labels").fieldNames();
                    it.forEachRemaining(names::add);
                }
            }
        }
        return names;
    }
}
