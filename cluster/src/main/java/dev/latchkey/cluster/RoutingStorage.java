package dev.latchkey.cluster;

import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends high-volume, never-listed keys (outstanding OTPs) to a map of their own, so that listing
 * roles or sweeping tokens never scans a million OTP entries. A listing or prefix delete touches
 * the bulk map only when some key under the prefix could belong there.
 */
final class RoutingStorage implements Storage {
    private final Storage regular;
    private final Storage bulk;
    private final Pattern bulkKeys;

    RoutingStorage(Storage regular, Storage bulk, Pattern bulkKeys) {
        this.regular = regular;
        this.bulk = bulk;
        this.bulkKeys = bulkKeys;
    }

    private Storage of(String key) {
        return bulkKeys.matcher(key).matches() ? bulk : regular;
    }

    /** Whether a key starting with {@code prefix} could match the bulk pattern. */
    private boolean bulkMayHold(String prefix) {
        Matcher m = bulkKeys.matcher(prefix);
        return m.matches() || m.hitEnd();
    }

    @Override
    public Optional<byte[]> get(String key) {
        return of(key).get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        of(key).put(key, value);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return of(key).putIfAbsent(key, value);
    }

    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        return of(key).putIfAbsentAsync(key, value);
    }

    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        return of(key).takeAsync(key);
    }

    @Override
    public void delete(String key) {
        of(key).delete(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        return of(key).take(key);
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        return of(key).update(key, update);
    }

    @Override
    public List<String> list(String prefix) {
        if (!bulkMayHold(prefix)) {
            return regular.list(prefix);
        }
        TreeSet<String> merged = new TreeSet<>(regular.list(prefix));
        merged.addAll(bulk.list(prefix));
        return List.copyOf(merged);
    }

    /** A side's own page holds every child of that side that the merged page can hold. */
    @Override
    public List<String> listPage(String prefix, String after, int limit) {
        if (!bulkMayHold(prefix)) {
            return regular.listPage(prefix, after, limit);
        }
        TreeSet<String> merged = new TreeSet<>(regular.listPage(prefix, after, limit));
        merged.addAll(bulk.listPage(prefix, after, limit));
        return merged.stream().limit(limit).toList();
    }

    @Override
    public void deletePrefix(String prefix) {
        regular.deletePrefix(prefix);
        if (bulkMayHold(prefix)) {
            bulk.deletePrefix(prefix);
        }
    }
}
