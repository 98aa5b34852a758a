package dev.latchkey.engine.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decoded records kept for as long as storage hands back the very same stored bytes (a read-caching
 * storage returns one array per unchanged value), so hot records are decoded once, not per request.
 * With a storage that copies on every read, it simply decodes every time.
 */
public final class DecodedCache<T> {
    private record Entry<T>(byte[] raw, T value) {
    }

    private final int maxEntries;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

    public DecodedCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    public T decode(String key, byte[] raw, Function<byte[], T> decoder) {
        Entry<T> e = entries.get(key);
        if (e != null && e.raw() == raw) {
            return e.value();
        }
        T value = decoder.apply(raw);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(raw, value));
        return value;
    }
}
