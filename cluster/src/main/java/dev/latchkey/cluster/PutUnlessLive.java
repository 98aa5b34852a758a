package dev.latchkey.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/**
 * Stores its value unless the entry holds a live value; a missing entry and a
 * {@link HazelcastStorage#MARKER} both count as absent. Returns whether it stored. One operation
 * on the key's partition thread: a plain {@code putIfAbsent} would see a marker as a value and
 * need a loop of {@code get} and {@code replace} around it.
 */
final class PutUnlessLive implements EntryProcessor<String, byte[], Boolean>, IdentifiedDataSerializable {
    private byte[] value;

    PutUnlessLive() {
        // for the factory
    }

    PutUnlessLive(byte[] value) {
        this.value = value;
    }

    @Override
    public Boolean process(Map.Entry<String, byte[]> entry) {
        byte[] current = entry.getValue();
        if (current != null && !HazelcastStorage.isMarker(current)) {
            return false;
        }
        entry.setValue(value);
        return true;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializableFactory.PUT_UNLESS_LIVE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(value);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        value = in.readByteArray();
    }
}
