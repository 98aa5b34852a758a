package dev.latchkey.engine.storage;

import java.util.List;
import java.util.Map;

/** Reading fields of stored JSON records, where an absent field reads as its zero value. */
public final class StoredFields {
    private StoredFields() {
    }

    public static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    public static long number(Map<String, Object> m, String key, long fallback) {
        return m.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    public static boolean flag(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    /** A stored JSON array of strings; anything else reads as empty. */
    public static List<String> strings(Map<String, Object> m, String key) {
        return m.get(key) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
