package dev.latchkey.api.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;

/**
 * What {@code sys/metrics} answers, as Vault's handler does, on both of its routes: a raw body,
 * never the envelope, and errors in plain text.
 */
public final class MetricsEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=utf-8";

    /** A raw answer. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    private MetricsEndpoint() {
    }

    /**
     * Whether an {@code Accept} header asks for Prometheus text, as Vault's check does: it starts
     * with {@code application/openmetrics-text} or names {@code prometheus/telemetry}.
     */
    public static boolean acceptsPrometheus(String accept) {
        return accept != null && (accept.startsWith("application/openmetrics-text")
                || accept.contains("prometheus/telemetry"));
    }

    /** @param format the {@code format} query value, empty when none */
    public static Answer answer(Metrics metrics, String format) {
        String f = format == null ? "" : format;
        if (f.equals("prometheus")) {
            if (!metrics.options().prometheusEnabled()) {
                return text(400, "prometheus is not enabled");
            }
            return new Answer(200, Metrics.prometheusContentType(), metrics.prometheusText());
        }
        if (!f.isEmpty()) {
            return text(400, "metric response format \"" + f.replace("\"", "\\\"") + "\" unknown");
        }
        try {
            return new Answer(200, "application/json", JSON.writeValueAsBytes(metrics.json()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the metrics could not be written as JSON", e);
        }
    }

    /** The value the {@code format} field or query parameter holds, as given: Vault compares it exactly. */
    public static String formatOf(Object raw) {
        Object one = raw instanceof java.util.List<?> list ? (list.isEmpty() ? null : list.get(0)) : raw;
        return one == null ? "" : String.valueOf(one);
    }

    private static Answer text(int status, String message) {
        return new Answer(status, TEXT, message.getBytes(StandardCharsets.UTF_8));
    }
}
