package dev.latchkey.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.api.core.RequestScope;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * {@code log_format = "json"}: one JSON object per line in the shape Vault's logger writes, so
 * that what parses Vault's logs parses these: {@code @level}, {@code @message}, {@code @module},
 * {@code @timestamp}; {@code request_id} when the event happened while a request was handled (the
 * ID its client and the audit devices saw); and {@code error} when the event carries an exception
 * (its text only, never its stack, to keep one event on one line).
 */
final class JsonLogFormatter extends Formatter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    @Override
    public String format(LogRecord record) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("@level", level(record.getLevel()));
        event.put("@message", formatMessage(record));
        event.put("@module", record.getLoggerName() == null ? "" : record.getLoggerName());
        event.put("@timestamp", TIME.format(Instant.ofEpochMilli(record.getMillis())));
        String requestId = RequestScope.currentRequestId();
        if (requestId != null) {
            event.put("request_id", requestId);
        }
        if (record.getThrown() != null) {
            event.put("error", record.getThrown().toString());
        }
        try {
            return JSON.writeValueAsString(event) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            return "{\"@level\":\"error\",\"@message\":\"a log event could not be written as JSON\"}" + System.lineSeparator();
        }
    }

    /** Vault's level names for java.util.logging's. */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (v >= Level.WARNING.intValue()) {
            return "warn";
        }
        if (v >= Level.INFO.intValue()) {
            return "info";
        }
        if (v >= Level.FINE.intValue()) {
            return "debug";
        }
        return "trace";
    }
}
