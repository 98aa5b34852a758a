package dev.latchkey.cluster;

import dev.latchkey.engine.storage.Stages;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Striped locks by key: two keys may share a stripe (then they wait for each other briefly),
 * one key always maps to the same one. Several stripes are taken in ascending order, which is
 * what keeps two multi-key writers from deadlocking.
 *
 * <p>A write-through store's asynchronous write holds no lock while its commit runs: it marks its
 * key in flight ({@link #startInFlight}), and every writer that takes the key with
 * {@link #lockSettled} waits for the mark to clear first, so writes to one key still reach disk
 * and memory in one order. The commit's completion takes no lock at all: it runs on the durable
 * store's flusher, which a writer holding a key's lock may be waiting for.
 */
final class KeyLocks {
    private static final int STRIPES = 1024;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    /** Keys whose asynchronous write is being committed, each with what completes when it has landed. */
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    KeyLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(String key) {
        return locks[stripe(key)];
    }

    /** The key's lock, taken once no asynchronous write of the key is still being committed. */
    ReentrantLock lockSettled(String key) {
        ReentrantLock lock = of(key);
        while (true) {
            lock.lock();
            CompletableFuture<Void> landing = inFlight.get(key);
            if (landing == null) {
                return lock;
            }
            lock.unlock();
            landing.join();
        }
    }

    /**
     * Starts an asynchronous write of {@code key}; call with the key's lock held (from
     * {@link #lockSettled}), then release it. {@code commit} starts the durable write; once it
     * completes, {@code apply} changes memory (only if it succeeded) and the key is settled again.
     * The stage fails as the commit did.
     */
    CompletableFuture<Void> startInFlight(String key, Supplier<CompletableFuture<Void>> commit, Runnable apply) {
        CompletableFuture<Void> landed = new CompletableFuture<>();
        inFlight.put(key, landed);
        CompletableFuture<Void> committed;
        try {
            committed = commit.get();
        } catch (RuntimeException e) {
            committed = CompletableFuture.failedFuture(e);
        }
        return committed.handle((ok, failure) -> {
            if (failure == null) {
                apply.run();
            }
            inFlight.remove(key);
            landed.complete(null);
            if (failure != null) {
                throw Stages.unchecked(failure);
            }
            return null;
        });
    }

    /** Waits until no asynchronous write of a key matching {@code keys} is still being committed. */
    void awaitInFlight(Predicate<String> keys) {
        inFlight.forEach((key, landing) -> {
            if (keys.test(key)) {
                landing.join();
            }
        });
    }

    /** The stripes of these keys, each once, in the order they must be taken. */
    TreeSet<Integer> stripes(Collection<String> keys) {
        TreeSet<Integer> stripes = new TreeSet<>();
        keys.forEach(k -> stripes.add(stripe(k)));
        return stripes;
    }

    void lockAll(TreeSet<Integer> stripes) {
        stripes.forEach(s -> locks[s].lock());
    }

    void unlockAll(TreeSet<Integer> stripes) {
        stripes.descendingSet().forEach(s -> locks[s].unlock());
    }

    private static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
