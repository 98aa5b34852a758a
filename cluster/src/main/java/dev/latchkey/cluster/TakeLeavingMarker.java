package dev.latchkey.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.util.Map;

/**
 * Returns an entry's value and leaves {@link HazelcastStorage#MARKER} in its place; returns
 * null for a missing or already consumed entry. Runs on the partition owner (and, as it is, on the
 * backups), so it is serialized through the module's factory.
 */
final class TakeLeavingMarker implements EntryProcessor<String, byte[], byte[]>, IdentifiedDataSerializable {
    @Override
    public byte[] process(Map.Entry<String, byte[]> entry) {
        byte[] value = entry.getValue();
        if (value == null || HazelcastStorage.isMarker(value)) {
            return null;
        }
        entry.setValue(HazelcastStorage.MARKER);
        return value;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializableFactory.TAKE_LEAVING_MARKER;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // no state
    }

    @Override
    public void readData(ObjectDataInput in) {
        // no state
    }
}
