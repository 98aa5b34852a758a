package dev.latchkey.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;

/** The JSON writer of the HTTP layer; request bodies are read by {@link LimitedJsonReader}. */
final class Json {
    static final ObjectMapper WRITER = new ObjectMapper();

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            byte[] json = WRITER.writeValueAsBytes(value);
            byte[] out = new byte[json.length + 1];
            System.arraycopy(json, 0, out, 0, json.length);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
