package dev.latchkey.api.http;

import dev.latchkey.api.core.Call;
import dev.latchkey.api.core.Dispatcher;
import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.engine.framework.EngineException;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP side of every request: the path and method rules ({@link RequestDecoder}), body limits,
 * token headers; the {@code sys/} status and seal paths are answered here ({@link SysPaths}), the
 * blocking rest goes to the worker pool, and the answer is written back here.
 */
public final class HttpFrontend implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(HttpFrontend.class.getName());
    /** Beyond this much declared or received body, answer 413 at once and drop the connection. */
    private static final long DRAIN_LIMIT_FACTOR = 4;

    private final Dispatcher dispatcher;
    private final SysPaths sysPaths;
    private final RequestDecoder decoder;
    private final WorkerExecutor worker;
    private final long maxBody;

    public HttpFrontend(Dispatcher dispatcher, SystemInfo info, WorkerExecutor worker, long maxBodyBytes) {
        this.dispatcher = dispatcher;
        this.sysPaths = new SysPaths(info);
        this.decoder = new RequestDecoder(sysPaths.paths());
        this.worker = worker;
        this.maxBody = maxBodyBytes;
    }

    @Override
    public void handle(HttpServerRequest req) {
        HttpServerResponse resp = req.response();
        resp.putHeader("Cache-Control", "no-store");
        String ns = req.getHeader("X-Vault-Namespace");
        if (ns != null) {
            resp.putHeader("X-Vault-Namespace", ns);
        }
        RequestDecoder.Decision decision = decoder.decode(req.method().name(), req.path(), req.query(),
                req.getHeader("Content-Type"));
        if (decision instanceof RequestDecoder.Refuse refuse) {
            readBody(req, ignored -> write(req, refuse.reply()));
        } else if (decision instanceof RequestDecoder.Direct direct) {
            readBody(req, body -> answerDirect(req, direct, body));
        } else {
            RequestDecoder.Logical logical = (RequestDecoder.Logical) decision;
            readBody(req, body -> dispatchLater(req, logical, body));
        }
    }

    /** Answered on the event loop, unless there is a body to parse (unseal, init): that goes to a worker. */
    private void answerDirect(HttpServerRequest req, RequestDecoder.Direct direct, byte[] body) {
        if (body.length == 0) {
            write(req, sysPaths.answer(direct, body));
            return;
        }
        worker.executeBlocking(() -> sysPaths.answer(direct, body), false)
                .onComplete(ar -> write(req, ar.succeeded() ? ar.result() : internalError(ar.cause())));
    }

    private void dispatchLater(HttpServerRequest req, RequestDecoder.Logical logical, byte[] body) {
        String contentType = req.getHeader("Content-Type");
        String token = token(req);
        String client = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
        // the body is parsed on the worker: it may be 32 MiB of JSON
        worker.executeBlocking(() -> dispatch(() -> new Call(logical.operation(), logical.path(),
                        logical.queryFields() != null ? logical.queryFields() : BodyParser.parse(body, contentType),
                        token, client)), false)
                .onComplete(ar -> write(req, ar.succeeded() ? ar.result() : internalError(ar.cause())));
    }

    /** Builds the call (parsing the body) and runs it; the single place errors become replies. */
    private Reply dispatch(Supplier<Call> call) {
        try {
            return Renderer.render(dispatcher.dispatch(call.get()));
        } catch (EngineException e) {
            if (e.kind() == EngineException.Kind.INTERNAL) {
                return internalError(e);
            }
            return Renderer.error(e);
        } catch (RuntimeException e) {
            return internalError(e);
        }
    }

    private static Reply internalError(Throwable t) {
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

    /** Reads the whole body within the limit, answering 413 (after draining, so the client sees it). */
    private void readBody(HttpServerRequest req, Consumer<byte[]> then) {
        long declared = contentLength(req);
        if (declared > maxBody * DRAIN_LIMIT_FACTOR) {
            write(req, tooLarge());
            req.connection().close();
            return;
        }
        Buffer body = Buffer.buffer();
        long[] received = {0};
        boolean[] over = {declared > maxBody};
        req.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] > maxBody) {
                over[0] = true;
                if (received[0] > maxBody * DRAIN_LIMIT_FACTOR && !req.response().ended()) {
                    write(req, tooLarge());
                    req.connection().close();
                }
            } else {
                body.appendBuffer(chunk);
            }
        });
        req.exceptionHandler(t -> LOG.log(Level.FINE, "request stream failed: {0}", t.toString()));
        req.endHandler(v -> {
            if (req.response().ended()) {
                return;
            }
            if (over[0]) {
                write(req, tooLarge());
            } else {
                then.accept(body.getBytes());
            }
        });
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

    private static void write(HttpServerRequest req, Reply reply) {
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
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
    }
}
