package dev.latchkey.cluster;

import dev.latchkey.engine.storage.Storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Seals every value with the {@link Barrier} before it reaches the inner storage, using the full key
 * as associated data. Keys stay in clear: they are paths, never secrets (OTPs are stored under
 * salted hashes), and prefix listing needs them. The seal's own records, which share the inner
 * storage but are not sealed by the barrier ({@link KeyringStore#isSealRecord}), are not listed
 * and not removed by a prefix delete.
 */
final class SealedStorage implements Storage {
    private final Storage inner;
    private final Barrier barrier;

    SealedStorage(Storage inner, Barrier barrier) {
        this.inner = inner;
        this.barrier = barrier;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return inner.get(key).map(sealed -> barrier.open(key, sealed));
    }

    @Override
    public void put(String key, byte[] value) {
        inner.put(key, barrier.seal(key, value));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return inner.putIfAbsent(key, barrier.seal(key, value));
    }

    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        return inner.putIfAbsentAsync(key, barrier.seal(key, value));
    }

    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        return inner.takeAsync(key).thenApply(taken -> taken.map(sealed -> barrier.open(key, sealed)));
    }

    @Override
    public void delete(String key) {
        inner.delete(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        return inner.take(key).map(sealed -> barrier.open(key, sealed));
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        byte[] sealed = inner.update(key, current -> {
            byte[] next = update.apply(current == null ? null : barrier.open(key, current));
            return next == null ? null : barrier.seal(key, next);
        });
        // Opening what was stored, rather than remembering the last result, holds for any inner
        // storage however often it calls the function.
        return sealed == null ? null : barrier.open(key, sealed);
    }

    @Override
    public List<String> list(String prefix) {
        List<String> children = inner.list(prefix);
        if (!coversSealRecords(prefix)) {
            return children;
        }
        return children.stream().filter(c -> listed(prefix, c)).toList();
    }

    /**
     * Where a seal's record may be listed, pages of the inner listing less those records until the
     * page is full or the listing ends: a page that the records shortened is topped up from after
     * its last child.
     */
    @Override
    public List<String> listPage(String prefix, String after, int limit) {
        if (!coversSealRecords(prefix)) {
            return inner.listPage(prefix, after, limit);
        }
        List<String> page = new ArrayList<>();
        String from = after;
        while (page.size() < limit) {
            int wanted = limit - page.size();
            List<String> children = inner.listPage(prefix, from, wanted);
            children.stream().filter(c -> listed(prefix, c)).forEach(page::add);
            if (children.size() < wanted) {
                break;
            }
            from = children.get(children.size() - 1);
        }
        return page;
    }

    /** Whether a child of the inner listing is listed: not a seal record, nor a folder of nothing else. */
    private boolean listed(String prefix, String child) {
        return child.endsWith("/")
                ? !coversSealRecords(prefix + child) || !listPage(prefix + child, "", 1).isEmpty()
                : !KeyringStore.isSealRecord(prefix + child);
    }

    @Override
    public void deletePrefix(String prefix) {
        if (!coversSealRecords(prefix)) {
            inner.deletePrefix(prefix);
            return;
        }
        for (String child : list(prefix)) {
            if (child.endsWith("/")) {
                deletePrefix(prefix + child);
            } else {
                inner.delete(prefix + child);
            }
        }
    }

    /** Whether a listing or prefix delete of {@code prefix} could reach one of the seal's records. */
    private static boolean coversSealRecords(String prefix) {
        return KeyringStore.SEAL_RECORD_PREFIX.startsWith(prefix) || prefix.startsWith(KeyringStore.SEAL_RECORD_PREFIX)
                || KeyringStore.SEAL_RECORDS.stream().anyMatch(r -> r.startsWith(prefix));
    }
}
