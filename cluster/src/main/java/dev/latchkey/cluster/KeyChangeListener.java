package dev.latchkey.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.function.Consumer;

/**
 * Hears about changes to entries (filtered at the source by the predicate it is registered with)
 * so a member can drop cached copies of shared data: {@code onKey} for one key, {@code onAll} when
 * the whole map was cleared or evicted. Events arrive on Hazelcast's event threads: both callbacks
 * must be quick.
 */
final class KeyChangeListener<V> implements EntryAddedListener<String, V>, EntryUpdatedListener<String, V>,
        EntryRemovedListener<String, V>, EntryEvictedListener<String, V>, EntryExpiredListener<String, V>,
        EntryMergedListener<String, V>, MapClearedListener, MapEvictedListener {
    private static final Logger LOG = Logger.getLogger(KeyChangeListener.class.getName());

    private final Consumer<String> onKey;
    private final Runnable onAll;

    KeyChangeListener(Consumer<String> onKey, Runnable onAll) {
        this.onKey = onKey;
        this.onAll = onAll;
    }

    @Override
    public void entryAdded(EntryEvent<String, V> event) {
        key(event);
    }

    @Override
    public void entryUpdated(EntryEvent<String, V> event) {
        key(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, V> event) {
        key(event);
    }

    @Override
    public void entryEvicted(EntryEvent<String, V> event) {
        key(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, V> event) {
        key(event);
    }

    /** An entry the other side of a healed split brought in. */
    @Override
    public void entryMerged(EntryEvent<String, V> event) {
        key(event);
    }

    @Override
    public void mapCleared(MapEvent event) {
        guarded(onAll);
    }

    @Override
    public void mapEvicted(MapEvent event) {
        guarded(onAll);
    }

    private void key(EntryEvent<String, V> event) {
        guarded(() -> onKey.accept(event.getKey()));
    }

    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // A failing callback must not disturb Hazelcast's event thread or later events.
            LOG.log(Level.WARNING, "key-change callback failed: " + e.getClass().getName());
        }
    }
}
