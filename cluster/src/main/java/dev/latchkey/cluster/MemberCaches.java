package dev.latchkey.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This member's read caches and its barrier, as a {@link CacheInvalidation} sent by another member
 * finds them (through the member's Hazelcast user context).
 */
final class MemberCaches {
    static final String CONTEXT_KEY = "latchkey.member-caches";

    private final List<ReadCachingStorage> caches = new CopyOnWriteArrayList<>();
    private final Barrier barrier;

    MemberCaches(Barrier barrier) {
        this.barrier = barrier;
    }

    void add(ReadCachingStorage cache) {
        caches.add(cache);
    }

    void apply(CacheInvalidation.Scope scope, String key) {
        switch (scope) {
            case KEY -> caches.forEach(c -> c.invalidate(key));
            case PREFIX -> caches.forEach(c -> c.invalidatePrefix(key));
            case KEYRING -> barrier.refresh();
        }
    }
}
