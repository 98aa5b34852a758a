package dev.latchkey.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;

import java.io.IOException;
import java.util.Map;

/**
 * Matches entries whose key starts with a prefix and sorts at or after a bound: the rest of a
 * listing from where its last page stopped, of which {@link LeastKeys} keeps a page. Plain
 * {@code startsWith} and {@code compareTo}, for the reasons of {@link KeyPrefixPredicate};
 * serialized by the same registered factory.
 */
final class KeyRangePredicate<V> implements Predicate<String, V>, IdentifiedDataSerializable {
    private String prefix;
    /** The least key matched; it starts with the prefix. */
    private String from;
    /** Whether entries holding a removal's marker ({@link HazelcastStorage#MARKER}) are left out. */
    private boolean skipMarkers;

    /** For deserialization only. */
    KeyRangePredicate() {
    }

    KeyRangePredicate(String prefix, String from, boolean skipMarkers) {
        this.prefix = prefix;
        this.from = from;
        this.skipMarkers = skipMarkers;
    }

    @Override
    public boolean apply(Map.Entry<String, V> entry) {
        String key = entry.getKey();
        // the value only for keys in range: reading it copies the stored bytes
        return key.startsWith(prefix) && key.compareTo(from) >= 0
                && !(skipMarkers && entry.getValue() instanceof byte[] v && HazelcastStorage.isMarker(v));
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializableFactory.KEY_RANGE_PREDICATE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(prefix);
        out.writeString(from);
        out.writeBoolean(skipMarkers);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        prefix = in.readString();
        from = in.readString();
        skipMarkers = in.readBoolean();
    }
}
