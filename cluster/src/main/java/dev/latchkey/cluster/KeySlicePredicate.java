package dev.latchkey.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;

import java.io.IOException;
import java.util.Map;

/**
 * Matches the entries whose key falls in one of {@code slices} equal slices by its hash, so that
 * a walk over a large map can read it a slice at a time. Needs no index and reads no value.
 */
final class KeySlicePredicate<V> implements Predicate<String, V>, IdentifiedDataSerializable {
    private int slice;
    private int slices;

    /** For deserialization only. */
    KeySlicePredicate() {
    }

    KeySlicePredicate(int slice, int slices) {
        if (slices < 1 || slice < 0 || slice >= slices) {
            throw new IllegalArgumentException("slice " + slice + " of " + slices);
        }
        this.slice = slice;
        this.slices = slices;
    }

    @Override
    public boolean apply(Map.Entry<String, V> entry) {
        return Math.floorMod(entry.getKey().hashCode(), slices) == slice;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializableFactory.KEY_SLICE_PREDICATE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(slice);
        out.writeInt(slices);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        slice = in.readInt();
        slices = in.readInt();
    }
}
