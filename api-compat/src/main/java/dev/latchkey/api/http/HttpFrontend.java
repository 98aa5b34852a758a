package dev.latchkey.api.http;

import dev.latchkey.api.core.Call;
import dev.latchkey.api.core.Dispatcher;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Operation;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP side of every request (spec §1): path and method rules, body limits and parsing, token
 * headers; then the blocking rest goes to the worker pool and the answer is written back here.
 */
public final class HttpFrontend implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(HttpFrontend.class.getName());
    /** Beyond this much declared or received body, answer 413 at once and drop the connection. */
    private static final long DRAIN_LIMIT_FACTOR = 4;

    private final Dispatcher dispatcher;
    private final StatusEndpoints status;
    private final WorkerExecutor worker;
    private final long maxBody;

    public HttpFrontend(Dispatcher dispatcher, StatusEndpoints status, WorkerExecutor worker, long maxBodyBytes) {
        this.dispatcher = dispatcher;
        this.status = status;
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
        String rawPath = req.path();
        if (!rawPath.startsWith("/v1/")) {
            drainThen(req, () -> write(req, Renderer.error(404, "unsupported path " + describePath(rawPath)
                    + ": the API lives under /v1/")));
            return;
        }
        String cleaned = PathCleaner.clean(rawPath);
        if (!cleaned.equals(rawPath)) {
            String query = req.query();
            resp.putHeader("Location", query == null ? cleaned : cleaned + "?" + query);
            drainThen(req, () -> write(req, new Reply(301, null, null)));
            return;
        }
        String path;
        try {
            path = PercentDecoder.decode(rawPath.substring(4));
        } catch (IllegalArgumentException e) {
            drainThen(req, () -> write(req, Renderer.error(400, "invalid request path: " + e.getMessage())));
            return;
        }
        if (!PathCleaner.printable(path)) {
            drainThen(req, () -> write(req, Renderer.error(400, "Path cannot contain non-printable characters")));
            return;
        }
        String method = req.method().name(); // case-sensitive, as in Go: "get" is not GET
        if (path.equals("sys/health") || path.equals("sys/seal-status") || path.equals("sys/leader")) {
            drainThen(req, () -> write(req, statusEndpoint(req, method, path)));
            return;
        }
        readBody(req, body -> route(req, method, path, body));
    }

    private Reply statusEndpoint(HttpServerRequest req, String method, String path) {
        boolean head = method.equals("HEAD");
        if (path.equals("sys/health") && (method.equals("GET") || head)) {
            Map<String, Object> query;
            try {
                query = QueryParser.parse(req.query());
            } catch (IllegalArgumentException e) {
                return Renderer.error(400, "invalid query string: " + e.getMessage());
            }
            return status.health(name -> query.get(name) == null ? null : query.get(name).toString(), head);
        }
        if (!method.equals("GET")) {
            return Renderer.error(405, "unsupported operation");
        }
        return path.equals("sys/seal-status") ? status.sealStatus() : status.leader();
    }

    private void route(HttpServerRequest req, String method, String path, byte[] body) {
        Operation op;
        Map<String, Object> fields = null;
        String target = path;
        try {
            switch (method) {
                case "GET", "DELETE", "LIST" -> {
                    fields = QueryParser.parse(req.query());
                    op = method.equals("DELETE") ? Operation.DELETE : Operation.READ;
                    if (method.equals("LIST")) {
                        op = Operation.LIST;
                    } else if (method.equals("GET") && fields.containsKey("list")) {
                        Boolean list = GoBool.parse(fields.remove("list").toString());
                        if (list == null) {
                            throw EngineException.user("invalid value for list: it must be a boolean");
                        }
                        if (list) {
                            op = Operation.LIST;
                        }
                    }
                    if (op == Operation.LIST && !target.endsWith("/")) {
                        target = target + "/";
                    }
                }
                case "POST", "PUT" -> {
                    if (path.endsWith("/")) {
                        throw EngineException.user("cannot write to a path ending in '/'");
                    }
                    op = Operation.UPDATE; // the body is parsed on the worker: it may be 32 MiB of JSON
                }
                case "PATCH" -> {
                    if (path.endsWith("/")) {
                        throw EngineException.user("cannot write to a path ending in '/'");
                    }
                    String ct = req.getHeader("Content-Type");
                    if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/merge-patch+json")) {
                        write(req, Renderer.error(415, "PATCH requires Content-Type of application/merge-patch+json, "
                                + "provided " + (ct == null ? "" : ct)));
                        return;
                    }
                    throw EngineException.unsupportedOperation();
                }
                default -> {
                    write(req, Renderer.error(405, "unsupported HTTP method " + describePath(method)));
                    return;
                }
            }
        } catch (EngineException e) {
            write(req, Renderer.error(e));
            return;
        } catch (IllegalArgumentException e) {
            write(req, Renderer.error(400, "invalid query string: " + e.getMessage()));
            return;
        }
        Operation operation = op;
        String callPath = target;
        Map<String, Object> queryFields = fields;
        String contentType = req.getHeader("Content-Type");
        String token = token(req);
        String client = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
        worker.executeBlocking(() -> dispatch(() -> new Call(operation, callPath,
                        queryFields != null ? queryFields : BodyParser.parse(body, contentType), token, client)), false)
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
    private void readBody(HttpServerRequest req, java.util.function.Consumer<byte[]> then) {
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

    private void drainThen(HttpServerRequest req, Runnable then) {
        readBody(req, ignored -> then.run());
    }

    private Reply tooLarge() {
        return Renderer.error(413, "http: request body too large: the limit is " + maxBody + " bytes");
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
        if (reply.contentType() != null) {
            resp.putHeader("Content-Type", reply.contentType());
        }
        if (reply.body() == null || reply.body().length == 0) {
            resp.end();
        } else {
            resp.end(Buffer.buffer(reply.body()));
        }
    }

    /** A short, printable rendering of client text for error messages. */
    private static String describePath(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return dev.latchkey.engine.framework.GoQuote.q(cut);
    }
}
