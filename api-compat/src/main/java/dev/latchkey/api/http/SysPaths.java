package dev.latchkey.api.http;

import dev.latchkey.api.core.Dispatcher;
import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.api.metrics.Metrics;
import dev.latchkey.api.metrics.MetricsEndpoint;
import dev.latchkey.api.seal.SealCore;
import dev.latchkey.api.seal.SealException;
import dev.latchkey.engine.framework.EngineException;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sys/} paths the HTTP layer answers itself, before the mount table, as Vault's
 * {@code http/sys_*.go} handlers do: they report and change the seal, so they answer whether the
 * node is sealed or not (every other path is {@code 503 Vault is sealed} then). Each answers bare
 * JSON, not the envelope.
 */
final class SysPaths {
    /** One path's handler; reads (GET, HEAD) run on the event loop, so none of those may block. */
    @FunctionalInterface
    interface Handler {
        Reply answer(String method, Map<String, Object> query, byte[] body, String token);
    }

    /** Paths whose writes need a token: a worker of the authenticated pool runs them. */
    private static final Set<String> AUTHENTICATED = Set.of("sys/seal", "sys/step-down");

    private static final String METRICS = "sys/metrics";

    private final Map<String, Handler> handlers;

    /**
     * @param metrics the node's metrics, served here without a token when the listener allows it;
     *                null when it does not (then {@code sys/metrics} is an ordinary, authenticated path)
     */
    SysPaths(SystemInfo info, BodyParser parser, SealCore core, Dispatcher dispatcher, Metrics metrics) {
        SysSeal seal = new SysSeal(info, parser, core, dispatcher);
        Map<String, Handler> h = new HashMap<>(Map.of(
                "sys/health", new SysHealth(info, core)::answer,
                "sys/seal-status", seal::status,
                "sys/unseal", seal::unseal,
                "sys/seal", seal::seal,
                "sys/step-down", seal::stepDown,
                "sys/init", new SysInit(parser, core)::answer,
                "sys/leader", new SysLeader(info, core)::answer));
        if (metrics != null) {
            h.put(METRICS, (method, query, body, token) -> unauthenticatedMetrics(metrics, method, query));
        }
        this.handlers = Map.copyOf(h);
    }

    /**
     * {@code sys/metrics} on a listener with {@code unauthenticated_metrics_access}: served to
     * anyone, whether the node is sealed or not, and not audited, as Vault's listener does.
     */
    private static Reply unauthenticatedMetrics(Metrics metrics, String method, Map<String, Object> query) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return methodNotAllowed();
        }
        MetricsEndpoint.Answer a = MetricsEndpoint.answer(metrics, MetricsEndpoint.formatOf(query.get("format")));
        return new Reply(a.status(), a.contentType(), a.body());
    }

    Set<String> paths() {
        return handlers.keySet();
    }

    /** Whether answering may block (it writes: init, unseal, seal): if so, a worker answers. */
    static boolean blocks(RequestDecoder.Direct request) {
        // a scrape reads every meter and the JVM's beans: not on an event loop
        return request.path().equals(METRICS) || !request.method().equals("GET") && !request.method().equals("HEAD");
    }

    static boolean needsToken(RequestDecoder.Direct request) {
        return AUTHENTICATED.contains(request.path());
    }

    Reply answer(RequestDecoder.Direct request, byte[] body, String token) {
        try {
            return handlers.get(request.path()).answer(request.method(), request.query(), body, token);
        } catch (EngineException e) {
            return Renderer.error(e);
        } catch (SealException e) {
            return Renderer.error(e.status(), e.getMessage());
        }
    }

    static Reply json(Map<String, Object> body) {
        return new Reply(200, Renderer.JSON, Json.write(body));
    }

    static Reply methodNotAllowed() {
        return Renderer.error(405, "unsupported operation");
    }
}
