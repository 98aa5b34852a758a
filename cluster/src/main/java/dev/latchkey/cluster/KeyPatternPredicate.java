package dev.latchkey.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Matches entries whose whole key matches a regular expression. Used to filter change events at
 * the source, so that members only hear about the keys they cache.
 */
final class KeyPatternPredicate<V> implements Predicate<String, V>, IdentifiedDataSerializable {
    private Pattern pattern;

    /** For deserialization only. */
    KeyPatternPredicate() {
    }

    KeyPatternPredicate(Pattern pattern) {
        this.pattern = pattern;
    }

    @Override
    public boolean apply(Map.Entry<String, V> entry) {
        return pattern.matcher(entry.getKey()).matches();
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializableFactory.KEY_PATTERN_PREDICATE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(pattern.pattern());
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        pattern = Pattern.compile(in.readString());
    }
}
