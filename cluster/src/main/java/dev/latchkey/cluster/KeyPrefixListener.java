package dev.latchkey.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a callback on any change to entries under a key prefix (the filtering is done by the
 * {@link KeyPrefixPredicate} it is registered with), so a member can drop its cached copy of shared
 * data. Events arrive on Hazelcast's event threads: the callback is expected to be quick.
 */
final class KeyPrefixListener<V> implements EntryAddedListener<String, V>, EntryUpdatedListener<String, V>,
        EntryRemovedListener<String, V>, EntryEvictedListener<String, V>, EntryExpiredListener<String, V>,
        MapClearedListener, MapEvictedListener {
    private static final Logger LOG = Logger.getLogger(KeyPrefixListener.class.getName());

    private final Runnable callback;

    KeyPrefixListener(Runnable callback) {
        this.callback = callback;
    }

    @Override
    public void entryAdded(EntryEvent<String, V> event) {
        fire();
    }

    @Override
    public void entryUpdated(EntryEvent<String, V> event) {
        fire();
    }

    @Override
    public void entryRemoved(EntryEvent<String, V> event) {
        fire();
    }

    @Override
    public void entryEvicted(EntryEvent<String, V> event) {
        fire();
    }

    @Override
    public void entryExpired(EntryEvent<String, V> event) {
        fire();
    }

    @Override
    public void mapCleared(MapEvent event) {
        fire();
    }

    @Override
    public void mapEvicted(MapEvent event) {
        fire();
    }

    private void fire() {
        try {
            callback.run();
        } catch (RuntimeException e) {
            // A failing callback must not disturb Hazelcast's event thread or later events.
            LOG.log(Level.WARNING, "key-change callback failed: " + e.getClass().getName());
        }
    }
}
