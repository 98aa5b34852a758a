package dev.latchkey.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;

import java.io.IOException;
import java.util.Map;

/**
 * Matches entries whose key starts with a prefix, by plain {@code startsWith}: SQL LIKE would treat
 * {@code _} and {@code %} in a key as wildcards. Runs on the members owning the partitions, so it is
 * serialized by an explicitly registered factory.
 */
final class KeyPrefixPredicate<V> implements Predicate<String, V>, IdentifiedDataSerializable {
    private String prefix;
    /** Whether entries holding a removal's marker ({@link HazelcastStorage#MARKER}) are left out. */
    private boolean skipMarkers;

    /** For deserialization only. */
    KeyPrefixPredicate() {
    }

    KeyPrefixPredicate(String prefix) {
        this(prefix, false);
    }

    KeyPrefixPredicate(String prefix, boolean skipMarkers) {
        this.prefix = prefix;
        this.skipMarkers = skipMarkers;
    }

    @Override
    public boolean apply(Map.Entry<String, V> entry) {
        return entry.getKey().startsWith(prefix)
                && !(skipMarkers && entry.getValue() instanceof byte[] v && HazelcastStorage.isMarker(v));
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializableFactory.KEY_PREFIX_PREDICATE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(prefix);
        out.writeBoolean(skipMarkers);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        prefix = in.readString();
        skipMarkers = in.readBoolean();
    }
}
