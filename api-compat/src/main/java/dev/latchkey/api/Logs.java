package dev.latchkey.api;

import dev.latchkey.api.config.file.ServerConfig;
import dev.latchkey.api.core.RequestScope;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The server's log level and format, as {@code log_level} and {@code log_format} (or their flags
 * and environment variables) set them. The libraries the node runs on (Hazelcast, Netty, Vert.x,
 * Apache MINA SSHD) say a good deal at start-up and on every connection; they are held to warnings
 * unless the level is {@code debug} or {@code trace}, where their detail is what was asked for.
 */
final class Logs {
    private static final List<String> LIBRARIES = List.of("com.hazelcast", "io.netty", "io.vertx", "org.apache.sshd");
    /** Hazelcast's own start-up notices, quiet even at warnings. */
    private static final List<String> QUIETEST = List.of("com.hazelcast.instance.impl.Node",
            "com.hazelcast.internal.cluster.impl.JoinMessageTrustChecker");
    /** Loggers are held weakly by java.util.logging: these keep the levels set here. */
    private static final List<Logger> HELD = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Logs() {
    }

    /** Applies the level (Vault's names) to the root logger and the libraries' loggers. */
    static void applyLevel(String level) {
        Level jul = julLevel(level);
        Logger.getLogger("").setLevel(jul);
        boolean detailed = jul.intValue() <= Level.FINE.intValue();
        HELD.clear();
        for (String name : LIBRARIES) {
            Logger l = Logger.getLogger(name);
            l.setLevel(detailed ? jul : Level.WARNING);
            HELD.add(l);
        }
        for (String name : QUIETEST) {
            Logger l = Logger.getLogger(name);
            l.setLevel(detailed ? jul : Level.SEVERE);
            HELD.add(l);
        }
    }

    /** Writes every handler's lines in {@code format}. */
    static void applyFormat(ServerConfig.LogFormat format) {
        Formatter f = format == ServerConfig.LogFormat.JSON ? new JsonLogFormatter() : new Standard();
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.setFormatter(f);
        }
    }

    static Level julLevel(String level) {
        return switch (level == null ? "info" : level) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.INFO;
        };
    }

    /**
     * {@code log_format = "standard"}: one line per event, {@code time [LEVEL] logger: message},
     * with {@code request_id=…} when the event happened while a request was handled, and an
     * exception's stack on the lines after it.
     */
    static final class Standard extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC);

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(160)
                    .append(TIME.format(Instant.ofEpochMilli(record.getMillis())))
                    .append(" [").append(record.getLevel().getLocalizedName()).append("] ")
                    .append(record.getLoggerName()).append(": ").append(formatMessage(record));
            String requestId = RequestScope.currentRequestId();
            if (requestId != null) {
                line.append(" request_id=").append(requestId);
            }
            line.append(System.lineSeparator());
            if (record.getThrown() != null) {
                StringWriter stack = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(stack));
                line.append(stack);
            }
            return line.toString();
        }
    }
}
