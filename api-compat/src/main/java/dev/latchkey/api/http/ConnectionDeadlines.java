package dev.latchkey.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deadlines on what a client sends, so that a connection that trickles its request in (one header
 * line every few seconds, one body byte a second) is closed instead of held forever. Go's server,
 * and so Vault, has the same three: a request's headers must arrive within the read-header timeout
 * of the connection opening, its body within the read timeout of the headers, and a keep-alive
 * connection's next request within the idle timeout of the last response. Vert.x's own idle timeout
 * cannot do this: every byte resets it.
 *
 * <p>Go starts the header deadline at the first byte of a keep-alive connection's next request; the
 * HTTP layer here cannot see that byte, so that request gets the idle timeout for its headers instead.
 * Such a connection costs no more than an idle one, which the idle timeout bounds the same way.
 *
 * <p>Timers run on the connection's event loop; a connection's state is touched only there.
 */
final class ConnectionDeadlines {
    private final Vertx vertx;
    private final long readHeaderMillis;
    private final long readMillis;
    private final long idleMillis;
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

    ConnectionDeadlines(Vertx vertx, Duration readHeader, Duration read, Duration idle) {
        this.vertx = vertx;
        this.readHeaderMillis = readHeader.toMillis();
        this.readMillis = read.toMillis();
        this.idleMillis = idle.toMillis();
    }

    /** A new connection: its first request's headers are due within the read-header timeout. */
    void opened(HttpConnection connection) {
        Watch watch = new Watch(connection, true);
        watches.put(connection, watch);
        connection.closeHandler(v -> {
            watch.disarm();
            watch.closed = true;
            watches.remove(connection);
        });
        watch.arm(readHeaderMillis);
    }

    /** The request's headers are in: its body is due within the read timeout. */
    Watch headersArrived(HttpConnection connection) {
        Watch watch = watches.get(connection);
        if (watch == null) {
            // a connection the opening hook never saw keeps no deadlines, but still reports its close
            watch = new Watch(connection, false);
            Watch unwatched = watch;
            connection.closeHandler(v -> unwatched.closed = true);
        }
        watch.arm(readMillis);
        return watch;
    }

    int watched() {
        return watches.size();
    }

    /** One connection's current deadline. */
    final class Watch {
        private final HttpConnection connection;
        private final boolean enforced;
        private long timer = -1;
        private volatile boolean closed;

        private Watch(HttpConnection connection, boolean enforced) {
            this.connection = connection;
            this.enforced = enforced;
        }

        /** True once the client has gone: work done for it now would be thrown away. */
        boolean clientGone() {
            return closed;
        }

        /** The whole body is in: nothing is due from the client until the response is written. */
        void bodyArrived() {
            disarm();
        }

        /** The response is written: the next request's headers are due within the idle timeout. */
        void responded() {
            if (!closed) {
                arm(idleMillis);
            }
        }

        private void arm(long millis) {
            disarm();
            if (enforced && millis > 0) {
                timer = vertx.setTimer(millis, id -> {
                    timer = -1;
                    connection.close();
                });
            }
        }

        private void disarm() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
