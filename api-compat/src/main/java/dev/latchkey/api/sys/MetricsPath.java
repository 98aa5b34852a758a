package dev.latchkey.api.sys;

import dev.latchkey.api.metrics.Metrics;
import dev.latchkey.api.metrics.MetricsEndpoint;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.util.List;

/**
 * {@code sys/metrics}: the node's metrics for a token with {@code read} on the path, in the JSON
 * form or, with {@code format=prometheus} (or an {@code Accept} header that asks for it), in
 * Prometheus text. A listener with {@code unauthenticated_metrics_access} serves the same without
 * a token, before the mount table (see the HTTP layer).
 */
final class MetricsPath {
    private final Metrics metrics;

    MetricsPath(Metrics metrics) {
        this.metrics = metrics;
    }

    List<PathSpec> specs() {
        return List.of(PathSpec.path("metrics").field("format", FieldType.STRING)
                .on(Operation.READ, this::read));
    }

    private Response read(Request request, Fields f) {
        MetricsEndpoint.Answer a = MetricsEndpoint.answer(metrics, MetricsEndpoint.formatOf(f.string("format")));
        return Response.raw(a.status(), a.contentType(), a.body());
    }
}
