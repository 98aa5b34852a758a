package dev.latchkey.api.http;

import dev.latchkey.api.config.JsonLimits;
import dev.latchkey.api.config.ListenerOptions;
import dev.latchkey.api.core.Call;
import dev.latchkey.api.core.Dispatcher;
import dev.latchkey.api.core.FatalErrors;
import dev.latchkey.api.core.Outcome;
import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.api.metrics.Metrics;
import dev.latchkey.api.metrics.MetricsEndpoint;
import dev.latchkey.api.seal.SealCore;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.storage.Stages;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP side of every request: the path and method rules ({@link RequestDecoder}), body limits and
 * deadlines, token headers; the {@code sys/} status and seal paths are answered here ({@link SysPaths}),
 * the blocking rest goes to a worker pool, and the answer is written back here.
 *
 * <p>Two worker pools: one for the paths that need no token ({@code ssh/verify}, {@code ssh/public_key})
 * and one for everything else, so that however much signing, key generation or storage work is queued,
 * a host's PAM check never waits behind it.
 */
public final class HttpFrontend {
    private static final Logger LOG = Logger.getLogger(HttpFrontend.class.getName());
    /** Beyond this much declared or received body, answer 413 at once and drop the connection. */
    private static final long DRAIN_LIMIT_FACTOR = 4;
    /** After refusing a body part-way, this much more is read before the connection is closed (Go: 256 KiB). */
    private static final long DRAIN_AFTER_REFUSAL = 256 * 1024;
    /** The status a request is counted under when its client went away before its answer. */
    private static final int CLIENT_CLOSED = 499;

    private final Dispatcher dispatcher;
    private final SysPaths sysPaths;
    private final RequestDecoder decoder;
    private final BodyParser bodies;
    private final WorkerExecutor worker;
    private final WorkerExecutor unauthenticatedWorker;
    private final long maxBody;
    private final ConnectionDeadlines deadlines;
    private final BodyBudget budget;
    private final JsonLimits jsonLimits;
    private final Vertx vertx;
    private final long maxDurationNanos;
    private final String maxDurationText;
    private final Metrics metrics;

    public HttpFrontend(Vertx vertx, Dispatcher dispatcher, SealCore seal, SystemInfo info, WorkerExecutor worker,
                        WorkerExecutor unauthenticatedWorker, ListenerOptions options, Metrics metrics) {
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.bodies = new BodyParser(options.json());
        this.sysPaths = new SysPaths(info, bodies, seal, dispatcher, options.unauthenticatedMetrics() ? metrics : null);
        this.decoder = new RequestDecoder(sysPaths.paths());
        this.worker = worker;
        this.unauthenticatedWorker = unauthenticatedWorker;
        this.maxBody = options.maxRequestBodyBytes();
        this.deadlines = new ConnectionDeadlines(vertx, options.readHeaderTimeout(), options.readTimeout(),
                options.idleTimeout());
        this.budget = BodyBudget.forHeap();
        this.jsonLimits = options.json();
        this.vertx = vertx;
        this.maxDurationNanos = options.maxRequestDuration().toNanos();
        this.maxDurationText = options.maxRequestDuration().toSeconds() + "s";
    }

    /** Serves {@code server}'s connections and requests. */
    public HttpServer attach(HttpServer server) {
        return server.connectionHandler(deadlines::opened).requestHandler(this::handle);
    }

    /** One request and its response, as far as the HTTP layer tracks it. */
    private static final class Exchange {
        final HttpServerRequest req;
        final ConnectionDeadlines.Watch watch;
        final long startedNanos;
        /** What the metrics call this request; set once it is decoded. */
        String family = "refused";
        boolean login;
        /** Whether the request's answer (or its client's leaving) has been counted. */
        boolean counted;
        long reserved;
        /** The max_request_duration timer, while the request waits on a worker; -1 when none. */
        long durationTimer = -1;
        /** Set on the event loop when the timer fires, read by the worker through {@link #cancelled}. */
        volatile boolean overran;

        Exchange(HttpServerRequest req, ConnectionDeadlines.Watch watch, long startedNanos) {
            this.req = req;
            this.watch = watch;
            this.startedNanos = startedNanos;
        }

        /** Whether the request's work should stop: its client went away or its time ran out. */
        boolean cancelled() {
            return overran || watch.clientGone();
        }
    }

    /**
     * Bounds a request handed to a worker by the listener's max_request_duration, counted from its
     * headers' arrival as Vault's request context is: when it runs out the client is answered 503,
     * the work is told to stop (a queued request never starts; key generation stops at its next
     * draw), and whatever the work answers later is dropped. Vault cancels the context the same way,
     * but its answer is whatever error the interrupted operation makes of it, often a 500.
     */
    private void boundDuration(Exchange ex) {
        long remainingMs = Math.max(1, (maxDurationNanos - (System.nanoTime() - ex.startedNanos)) / 1_000_000);
        ex.durationTimer = vertx.setTimer(remainingMs, id -> {
            ex.durationTimer = -1;
            ex.overran = true;
            write(ex, Renderer.error(503, "context deadline exceeded: the request ran longer than the listener's "
                    + "max_request_duration of " + maxDurationText));
        });
    }

    private void handle(HttpServerRequest req) {
        Exchange ex = new Exchange(req, deadlines.headersArrived(req.connection()), metrics.requestArrived());
        HttpServerResponse resp = req.response();
        resp.closeHandler(v -> {
            release(ex);
            count(ex, CLIENT_CLOSED);
        });
        resp.putHeader("Cache-Control", "no-store");
        String ns = req.getHeader("X-Vault-Namespace");
        if (ns != null) {
            resp.putHeader("X-Vault-Namespace", ns);
        }
        RequestDecoder.Decision decision = decoder.decode(req.method().name(), req.path(), req.query(),
                req.getHeader("Content-Type"));
        if (decision instanceof RequestDecoder.Refuse refuse) {
            readBody(ex, false, ignored -> write(ex, refuse.reply()));
        } else if (decision instanceof RequestDecoder.Direct d) {
            RequestDecoder.Direct direct = new RequestDecoder.Direct(d.method(), d.path(),
                    withAcceptedFormat(d.path(), d.query(), req));
            ex.family = "system/" + direct.path().substring("sys/".length());
            readBody(ex, true, body -> answerDirect(ex, direct, body));
        } else {
            RequestDecoder.Logical logical = (RequestDecoder.Logical) decision;
            ex.family = dispatcher.family(logical.path());
            ex.login = dispatcher.isLogin(logical.path());
            readBody(ex, logical.queryFields() == null, body -> dispatchLater(ex, logical, body));
        }
    }

    /**
     * Reads of the status paths are answered on the event loop (they read memory only); writes
     * (init, unseal, seal) go to a worker: they parse bodies, derive keys and touch storage.
     */
    private void answerDirect(Exchange ex, RequestDecoder.Direct direct, byte[] body) {
        String token = token(ex.req);
        if (!SysPaths.blocks(direct)) {
            write(ex, sysPaths.answer(direct, body, token));
            return;
        }
        WorkerExecutor pool = SysPaths.needsToken(direct) ? worker : unauthenticatedWorker;
        boundDuration(ex);
        pool.executeBlocking(() -> sysPaths.answer(direct, body, token), false)
                .onComplete(ar -> write(ex, ar.succeeded() ? ar.result() : internalError(ar.cause())));
    }

    /**
     * The request goes to a worker, which parses the body and runs the synchronous part of the
     * request. What the storage answers later (the OTP hot path's writes and takes, which no
     * thread waits for) comes back to this request's event loop, where the small reply it makes is
     * rendered and written: the thread that completed the storage operation only hands it over.
     */
    private void dispatchLater(Exchange ex, RequestDecoder.Logical logical, byte[] body) {
        HttpServerRequest req = ex.req;
        String contentType = req.getHeader("Content-Type");
        String token = token(req);
        Map<String, Object> fromQuery = logical.queryFields() == null ? null
                : withAcceptedFormat(logical.path(), logical.queryFields(), req);
        String client = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
        WorkerExecutor pool = dispatcher.needsNoToken(logical.path()) ? unauthenticatedWorker : worker;
        Context eventLoop = vertx.getOrCreateContext();
        boundDuration(ex);
        // the body is parsed on the worker: it may be 32 MiB of JSON
        pool.executeBlocking(() -> {
            if (ex.cancelled()) {
                return Started.NOBODY_WAITS; // queued work for a client that has gone or been answered: nobody would read it
            }
            return start(() -> new Call(logical.operation(), logical.path(),
                    fromQuery != null ? fromQuery : bodies.parse(body, contentType),
                    token, client, ex::cancelled));
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                write(ex, internalError(ar.cause()));
            } else if (ar.result().pending() == null) {
                write(ex, ar.result().reply());
            } else {
                Future.fromCompletionStage(ar.result().pending(), eventLoop)
                        .onComplete(done -> write(ex, reply(done.succeeded() ? done.result() : null, done.cause())));
            }
        });
    }

    /**
     * For {@code sys/metrics} without a {@code format}: Vault's handler then reads the
     * {@code Accept} header, which engines never see, so an Accept that asks for Prometheus text
     * becomes {@code format=prometheus} here.
     */
    private static Map<String, Object> withAcceptedFormat(String path, Map<String, Object> query, HttpServerRequest req) {
        if (!path.equals("sys/metrics") || query.containsKey("format")
                || !MetricsEndpoint.acceptsPrometheus(req.getHeader("Accept"))) {
            return query;
        }
        Map<String, Object> with = new HashMap<>(query);
        with.put("format", "prometheus");
        return with;
    }

    /** A request under way: its reply, or the stage of its outcome when the storage has yet to answer. */
    private record Started(Reply reply, CompletionStage<Outcome> pending) {
        static final Started NOBODY_WAITS = new Started(null, null);
    }

    /**
     * Builds the call (parsing the body) and starts it; an outcome already complete is rendered
     * here, on the worker (a large listing is rendered off the event loop).
     */
    private Started start(Supplier<Call> call) {
        CompletionStage<Outcome> outcome;
        try {
            outcome = dispatcher.dispatchAsync(call.get());
        } catch (RuntimeException e) {
            return new Started(errorReply(e), null);
        }
        if (!Stages.isDone(outcome)) {
            return new Started(null, outcome);
        }
        Throwable failed = Stages.failure(outcome);
        return new Started(reply(failed == null ? outcome.toCompletableFuture().join() : null, failed), null);
    }

    /** The single place errors become replies. */
    private Reply reply(Outcome outcome, Throwable failure) {
        if (failure != null) {
            return errorReply(Stages.cause(failure));
        }
        try {
            return Renderer.render(outcome);
        } catch (RuntimeException e) {
            return internalError(e);
        }
    }

    /**
     * A request that fails because the node sealed under it (its storage refusing) is answered as
     * every request to a sealed node is.
     */
    private Reply errorReply(Throwable t) {
        if (t instanceof EngineException e) {
            if (e.kind() == EngineException.Kind.INTERNAL) {
                return dispatcher.sealed() ? Renderer.error(EngineException.sealed()) : internalError(e);
            }
            return Renderer.error(e);
        }
        if (t instanceof RuntimeException) {
            return dispatcher.sealed() ? Renderer.error(EngineException.sealed()) : internalError(t);
        }
        return internalError(t); // an Error: halts the node if it is fatal
    }

    private static Reply internalError(Throwable t) {
        FatalErrors.haltIfFatal(t);
        String id = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "internal error, request " + id, t);
        return Renderer.error(500, "1 error occurred:\n\t* internal error; the server log has details under "
                + "request " + id + "\n\n");
    }

    /** {@code X-Vault-Token} wins; else {@code Authorization: Bearer <token>} (exact prefix). */
    private static String token(HttpServerRequest req) {
        String t = req.getHeader("X-Vault-Token");
        if (t != null && !t.isEmpty()) {
            return t.strip();
        }
        String auth = req.getHeader("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            return auth.substring(7).strip();
        }
        return "";
    }

    /**
     * Reads the whole body within the limit, answering 413 (after draining, so the client sees it).
     * A body that will be parsed as JSON is held to the JSON limits as it arrives
     * ({@link JsonLimitScanner}): one that breaks them is answered 400 at once and the rest drained,
     * never held. Bytes beyond a small body are drawn from the node's {@link BodyBudget}; when it is
     * spent the request is refused with 503 and the connection dropped.
     */
    private void readBody(Exchange ex, boolean parsed, Consumer<byte[]> then) {
        HttpServerRequest req = ex.req;
        long declared = contentLength(req);
        if (declared > maxBody * DRAIN_LIMIT_FACTOR) {
            write(ex, tooLarge());
            req.connection().close();
            return;
        }
        Buffer body = Buffer.buffer();
        long[] received = {0};
        boolean[] over = {declared > maxBody};
        // a body declared over the limit is answered 413 whatever it holds, so it is not scanned
        JsonWatch json = new JsonWatch(parsed && !over[0], req.getHeader("Content-Type"));
        long[] refusedAt = {-1};
        req.handler(chunk -> {
            received[0] += chunk.length();
            if (refusedAt[0] >= 0) {
                // Refused before the body ended: read on a little so that a client still sending
                // sees the answer rather than a reset, then close, as Go's server does.
                if (received[0] - refusedAt[0] > DRAIN_AFTER_REFUSAL) {
                    req.connection().close();
                }
                return;
            }
            if (req.response().ended()) {
                return; // refused and closing (413 far over the limit, 503)
            }
            if (received[0] > maxBody) {
                over[0] = true;
                if (received[0] > maxBody * DRAIN_LIMIT_FACTOR) {
                    write(ex, tooLarge());
                    req.connection().close();
                }
                return;
            }
            String broken = json.scan(chunk);
            if (broken != null) {
                write(ex, Renderer.error(EngineException.user(broken)));
                refusedAt[0] = received[0];
                return;
            }
            long needed = Math.max(0, received[0] - BodyBudget.SMALL_BODY) - ex.reserved;
            if (needed > 0) {
                if (!budget.tryTake(needed)) {
                    write(ex, busy());
                    req.connection().close();
                    return;
                }
                ex.reserved += needed;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(t -> LOG.log(Level.FINE, "request stream failed: {0}", t.toString()));
        req.endHandler(v -> {
            ex.watch.bodyArrived();
            if (req.response().ended()) {
                return;
            }
            if (over[0]) {
                write(ex, tooLarge());
            } else {
                then.accept(body.getBytes());
            }
        });
    }

    /**
     * Whether a body is JSON, decided as {@link BodyParser} decides it (a form content type and a
     * first byte other than a bracket make it a form), and its {@link JsonLimitScanner} if so.
     */
    private final class JsonWatch {
        private final boolean formType;
        private JsonLimitScanner scanner;
        private boolean decided;

        JsonWatch(boolean parsed, String contentType) {
            this.formType = contentType != null
                    && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
            this.decided = !parsed;
        }

        /** The first JSON limit the body so far breaks, or null. */
        String scan(Buffer chunk) {
            byte[] bytes = chunk.getBytes();
            int from = 0;
            if (!decided) {
                while (from < bytes.length && isSpace(bytes[from])) {
                    from++;
                }
                if (from == bytes.length) {
                    return null;
                }
                decided = true;
                if (!formType || bytes[from] == '{' || bytes[from] == '[') {
                    scanner = new JsonLimitScanner(jsonLimits);
                }
            }
            return scanner == null ? null : scanner.feed(bytes, from, bytes.length - from);
        }

        private static boolean isSpace(byte b) {
            return b == ' ' || b == '\t' || b == '\r' || b == '\n';
        }
    }

    private Reply busy() {
        return Renderer.error(503, "server is busy: the request bodies in flight have reached the node's limit of "
                + budget.capacity() + " bytes; retry later");
    }

    private Reply tooLarge() {
        return Renderer.error(new EngineException(EngineException.Kind.TOO_LARGE,
                "http: request body too large: the limit is " + maxBody + " bytes"));
    }

    private static long contentLength(HttpServerRequest req) {
        String cl = req.getHeader("Content-Length");
        if (cl == null) {
            return -1;
        }
        try {
            return Long.parseLong(cl.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void release(Exchange ex) {
        budget.release(ex.reserved);
        ex.reserved = 0;
    }

    /**
     * Counts the request's answer once: the status written, or {@link #CLIENT_CLOSED} when its
     * client left first (nginx's 499, which Prometheus users know).
     */
    private void count(Exchange ex, int status) {
        if (!ex.counted) {
            ex.counted = true;
            metrics.requestAnswered(ex.startedNanos, ex.family, method(ex.req), status, ex.login);
        }
    }

    /**
     * Whether a read's {@code If-None-Match} names the entity tag of the answer it would get (or is
     * {@code *}): then it is answered {@code 304} without the body, as RFC 9110 says.
     */
    static boolean notModified(HttpServerRequest req, Reply reply) {
        String etag = reply.headers().get("ETag");
        String ifNoneMatch = req.getHeader("If-None-Match");
        if (etag == null || ifNoneMatch == null || reply.status() != 200
                || !(req.method().name().equals("GET") || req.method().name().equals("HEAD"))) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** The request's method as a label: the methods Vault serves, anything else {@code other}. */
    private static String method(HttpServerRequest req) {
        String m = req.method().name();
        return switch (m) {
            case "GET", "PUT", "POST", "DELETE", "LIST", "HEAD", "PATCH", "OPTIONS" -> m;
            default -> "other";
        };
    }

    /** Writes the reply, unless the client has gone or it was answered already; null means nobody asked. */
    private void write(Exchange ex, Reply reply) {
        release(ex);
        if (ex.durationTimer >= 0) {
            vertx.cancelTimer(ex.durationTimer);
            ex.durationTimer = -1;
        }
        HttpServerResponse resp = ex.req.response();
        if (reply == null || resp.ended() || resp.closed()) {
            if (reply == null || resp.closed()) {
                count(ex, CLIENT_CLOSED);
            }
            return;
        }
        if (notModified(ex.req, reply)) {
            count(ex, 304);
            resp.setStatusCode(304).putHeader("ETag", reply.headers().get("ETag")).end();
            ex.watch.responded();
            return;
        }
        count(ex, reply.status());
        resp.setStatusCode(reply.status());
        reply.headers().forEach(resp::putHeader);
        if (reply.contentType() != null) {
            resp.putHeader("Content-Type", reply.contentType());
        }
        if (reply.body() == null || reply.body().length == 0) {
            resp.end();
        } else {
            resp.end(Buffer.buffer(reply.body()));
        }
        ex.watch.responded();
    }
}
