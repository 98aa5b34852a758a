package dev.latchkey.engine.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** JSON encoding of stored records (maps of plain values). */
public final class JsonValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private JsonValues() {
    }

    public static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, MAP);
        } catch (IOException e) {
            throw new CorruptRecordException("stored record is not valid JSON", e);
        }
    }

    /** A decoded record's whole number under the key; 0 when absent or not a number. */
    public static long longValue(Map<String, Object> record, String key) {
        return record.get(key) instanceof Number n ? n.longValue() : 0;
    }
}
