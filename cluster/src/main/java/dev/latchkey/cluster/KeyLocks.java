package dev.latchkey.cluster;

import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by key: two keys may share a stripe (then they wait for each other briefly),
 * one key always maps to the same one. Several stripes are taken in ascending order, which is
 * what keeps two multi-key writers from deadlocking.
 */
final class KeyLocks {
    private static final int STRIPES = 1024;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    KeyLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(String key) {
        return locks[stripe(key)];
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
