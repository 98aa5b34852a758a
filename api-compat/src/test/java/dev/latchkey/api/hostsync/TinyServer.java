package dev.latchkey.api.hostsync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that answers each path as the test says: the broken or hostile
 * server host-sync must survive (a 500, a lie, a stall, an endless body), never a stand-in for
 * Latchkey, whose own answers the dev-server tests exercise. A 200 with an ETag answers 304 to a
 * matching {@code If-None-Match}, as Latchkey does.
 */
final class TinyServer implements AutoCloseable {
    /** What a path answers; {@code etag} may be null, {@code delay} is waited before answering. */
    record Answer(int status, byte[] body, String etag, Duration delay, boolean endless) {
        static Answer ok(byte[] body, String etag) {
            return new Answer(200, body, etag, Duration.ZERO, false);
        }

        static Answer ok(String body, String etag) {
            return ok(body.getBytes(StandardCharsets.UTF_8), etag);
        }

        static Answer status(int status, String body) {
            return new Answer(status, body.getBytes(StandardCharsets.UTF_8), null, Duration.ZERO, false);
        }

        /** A 200 that comes after {@code delay}. */
        static Answer stalled(Duration delay) {
            return new Answer(200, new byte[0], "\"late\"", delay, false);
        }

        /** A 200 whose body never ends (zeros, until the client hangs up). */
        static Answer endlessBody() {
            return new Answer(200, new byte[0], "\"endless\"", Duration.ZERO, true);
        }
    }

    private static final byte[] MIB_OF_ZEROS = new byte[1 << 20];
    /** Where an endless body gives up if the client never does: well past host-sync's limit. */
    private static final int ENDLESS_CAP_MIB = 1024;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, List<String>> conditions = new ConcurrentHashMap<>();

    TinyServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String addr() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void answer(String path, Answer answer) {
        answers.put(path, answer);
    }

    /** The {@code If-None-Match} of each request to {@code path} so far ("" for none). */
    List<String> conditions(String path) {
        return List.copyOf(conditions.getOrDefault(path, List.of()));
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String condition = exchange.getRequestHeaders().getFirst("If-None-Match");
            conditions.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(condition == null ? "" : condition);
            Answer a = answers.get(path);
            if (a == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Thread.sleep(a.delay().toMillis());
            if (a.etag() != null) {
                exchange.getResponseHeaders().set("ETag", a.etag());
            }
            if (a.status() == 200 && a.etag() != null && a.etag().equals(condition)) {
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            if (a.endless()) {
                exchange.sendResponseHeaders(200, 0);
                OutputStream body = exchange.getResponseBody();
                for (int i = 0; i < ENDLESS_CAP_MIB; i++) {
                    body.write(MIB_OF_ZEROS);
                }
                return;
            }
            exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            exchange.getResponseBody().write(a.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the test is over
        } catch (IOException e) {
            // the client hung up, as it should on a stall or an endless body
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
