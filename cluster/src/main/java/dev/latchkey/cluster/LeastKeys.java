package dev.latchkey.cluster;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The least {@code count} keys of the entries it is given, in order: a page of a listing. Runs on
 * the members, each of which sends back at most {@code count} keys however many entries match
 * there, and the caller keeps the least of their answers. Not a paging predicate, which says the
 * same: Hazelcast 5.5 keeps a member's page as a sub-list of a list holding every match of the
 * partitions scanned so far, so that each later match shifts all of them, and one page of a
 * million keys took over a minute. Serialized by the registered factory, with what it kept.
 */
final class LeastKeys implements Aggregator<Map.Entry<String, byte[]>, List<String>>, IdentifiedDataSerializable {
    private int count;
    private final TreeSet<String> keys = new TreeSet<>();

    /** For deserialization only. */
    LeastKeys() {
    }

    LeastKeys(int count) {
        this.count = count;
    }

    @Override
    public void accumulate(Map.Entry<String, byte[]> entry) {
        keep(entry.getKey()); // the key only: reading the value would copy its bytes
    }

    private void keep(String key) {
        if ((keys.size() < count || key.compareTo(keys.last()) < 0) && keys.add(key) && keys.size() > count) {
            keys.pollLast();
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // as Hazelcast's interface declares it
    public void combine(Aggregator other) {
        ((LeastKeys) other).keys.forEach(this::keep);
    }

    @Override
    public List<String> aggregate() {
        return List.copyOf(keys);
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializableFactory.LEAST_KEYS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(count);
        out.writeInt(keys.size());
        for (String key : keys) {
            out.writeString(key);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        count = in.readInt();
        for (int i = in.readInt(); i > 0; i--) {
            keys.add(in.readString());
        }
    }
}
