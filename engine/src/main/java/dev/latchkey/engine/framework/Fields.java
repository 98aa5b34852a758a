package dev.latchkey.engine.framework;

import java.util.List;
import java.util.Map;

/**
 * The declared fields of a request after type conversion. A field that was not sent reads as its
 * type's zero value; {@link #has} tells the two apart where Vault does.
 */
public final class Fields {
    private final Map<String, Object> values;

    public Fields(Map<String, Object> values) {
        this.values = values;
    }

    /** These fields with one more (or one replaced). */
    public Fields with(String name, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(values);
        copy.put(name, value);
        return new Fields(copy);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name) {
        Object v = values.get(name);
        return v == null ? "" : (String) v;
    }

    public String string(String name, String fallback) {
        return has(name) ? string(name) : fallback;
    }

    public long integer(String name) {
        Object v = values.get(name);
        return v == null ? 0L : (Long) v;
    }

    /**
     * An integer field held in an {@code int}, out-of-range values pinned to its ends, so that a
     * check of the allowed values refuses them instead of seeing them wrap around.
     */
    public int clampedInt(String name) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, integer(name)));
    }

    public boolean bool(String name) {
        Object v = values.get(name);
        return v != null && (Boolean) v;
    }

    public boolean bool(String name, boolean fallback) {
        return has(name) ? bool(name) : fallback;
    }

    /** A duration field in whole seconds. */
    public long seconds(String name) {
        Object v = values.get(name);
        return v == null ? 0L : (Long) v;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : (Map<String, String>) v;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<String>) v;
    }
}
