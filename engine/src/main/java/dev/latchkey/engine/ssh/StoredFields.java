package dev.latchkey.engine.ssh;

import java.util.Map;

/** Reading fields of stored JSON records, where an absent field reads as its zero value. */
final class StoredFields {
    private StoredFields() {
    }

    static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    static long number(Map<String, Object> m, String key, long fallback) {
        return m.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    static boolean flag(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }
}
