package dev.latchkey.cluster;

import dev.latchkey.engine.storage.Storage;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Keeps opened copies of read-mostly keys (tokens, the mount table, roles, engine configuration)
 * on this member, so a request does not pay a partition round trip and a decryption for each.
 * Writes through this storage drop the copy at once; on a configured cluster, a write on another
 * member drops it before that write returns ({@link BroadcastingStorage}), and the map's change
 * event drops it again when it arrives. A read that overlaps any invalidation does not keep what
 * it read, so a stale copy can never outlive the invalidation that should have removed it.
 *
 * <p>Values handed out are shared: callers must not modify the arrays they get.
 */
final class ReadCachingStorage implements Storage {
    /** Beyond this many cached keys the cache starts over (it only ever holds copies). */
    private static final int MAX_ENTRIES = 200_000;

    private final Storage inner;
    private final Pattern cacheable;
    private final Map<String, Optional<byte[]>> values = new ConcurrentHashMap<>();
    private final Map<String, List<String>> lists = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();

    ReadCachingStorage(Storage inner, Pattern cacheable) {
        this.inner = inner;
        this.cacheable = cacheable;
    }

    /** Drops every copy that a change to {@code key} makes stale. */
    void invalidate(String key) {
        if (!cacheable.matcher(key).matches()) {
            return; // nothing cached can depend on it: cached list prefixes only hold cacheable keys
        }
        epoch.incrementAndGet();
        values.remove(key);
        if (!lists.isEmpty()) {
            lists.keySet().removeIf(key::startsWith);
        }
    }

    /** Drops every copy. */
    void invalidateAll() {
        epoch.incrementAndGet();
        values.clear();
        lists.clear();
    }

    void invalidatePrefix(String prefix) {
        epoch.incrementAndGet();
        values.keySet().removeIf(k -> k.startsWith(prefix));
        lists.keySet().removeIf(p -> p.startsWith(prefix) || prefix.startsWith(p));
    }

    @Override
    public Optional<byte[]> get(String key) {
        if (!cacheable.matcher(key).matches()) {
            return inner.get(key);
        }
        Optional<byte[]> hit = values.get(key);
        if (hit != null) {
            return hit;
        }
        long before = epoch.get();
        Optional<byte[]> read = inner.get(key);
        remember(values, key, read, before);
        return read;
    }

    @Override
    public List<String> list(String prefix) {
        if (!cacheable.matcher(prefix).matches()) {
            return inner.list(prefix);
        }
        List<String> hit = lists.get(prefix);
        if (hit != null) {
            return hit;
        }
        long before = epoch.get();
        List<String> read = List.copyOf(inner.list(prefix));
        remember(lists, prefix, read, before);
        return read;
    }

    /**
     * From the cached listing when there is one (the same invalidations keep it true); otherwise
     * from the inner storage, uncached: a page is asked for so that the whole listing is not read.
     */
    @Override
    public List<String> listPage(String prefix, String after, int limit) {
        List<String> cached = lists.get(prefix);
        if (cached == null) {
            return inner.listPage(prefix, after, limit);
        }
        int at = Collections.binarySearch(cached, after);
        int from = at >= 0 ? at + 1 : -at - 1;
        return cached.subList(from, from + Math.min(limit, cached.size() - from));
    }

    /** Keeps a value read while no invalidation happened; takes it back if one raced with the put. */
    private <T> void remember(Map<String, T> cache, String key, T value, long epochBefore) {
        if (epoch.get() != epochBefore) {
            return;
        }
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, value);
        if (epoch.get() != epochBefore) {
            cache.remove(key, value);
        }
    }

    @Override
    public void put(String key, byte[] value) {
        inner.put(key, value);
        invalidate(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        boolean stored = inner.putIfAbsent(key, value);
        invalidate(key);
        return stored;
    }

    /** Straight through for a key this cache never holds; the synchronous form, which drops the copy, for one it may. */
    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        return cacheable.matcher(key).matches() ? Storage.super.putIfAbsentAsync(key, value)
                : inner.putIfAbsentAsync(key, value);
    }

    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        return cacheable.matcher(key).matches() ? Storage.super.takeAsync(key) : inner.takeAsync(key);
    }

    @Override
    public void delete(String key) {
        inner.delete(key);
        invalidate(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        Optional<byte[]> taken = inner.take(key);
        invalidate(key);
        return taken;
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        byte[] result = inner.update(key, update);
        invalidate(key);
        return result;
    }

    @Override
    public void deletePrefix(String prefix) {
        inner.deletePrefix(prefix);
        invalidatePrefix(prefix);
    }
}
