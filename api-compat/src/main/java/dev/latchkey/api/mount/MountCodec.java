package dev.latchkey.api.mount;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.engine.storage.CorruptRecordException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The stored form of the mount table: one JSON document, {@code {"entries":[...]}}, each entry
 * with Vault's snake_case field names. Fields a newer release adds are ignored by an older one.
 */
final class MountCodec {
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<Map<String, List<MountEntry>>> TABLE = new TypeReference<>() { };

    private MountCodec() {
    }

    static byte[] encode(List<MountEntry> entries) {
        try {
            return JSON.writeValueAsBytes(Map.of("entries", entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<MountEntry> decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, TABLE).getOrDefault("entries", List.of());
        } catch (IOException e) {
            throw new CorruptRecordException("the stored mount table is unreadable", e);
        }
    }
}
