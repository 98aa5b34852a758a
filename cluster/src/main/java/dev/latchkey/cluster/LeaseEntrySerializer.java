package dev.latchkey.cluster;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * Compact serializer for {@link LeaseEntry}, registered explicitly so that members never fall back
 * to reflective serialization. Compact lets queries and indexes read {@code dueTime} and
 * {@code tokenAccessor} without deserializing the entry.
 */
final class LeaseEntrySerializer implements CompactSerializer<LeaseEntry> {
    // A stable name, not the class name: the schema survives renaming the class.
    static final String TYPE_NAME = "latchkey.LeaseEntry";

    @Override
    public LeaseEntry read(CompactReader reader) {
        return new LeaseEntry(reader.readInt64(LeaseEntry.DUE_TIME), reader.readString(LeaseEntry.TOKEN_ACCESSOR),
                reader.readArrayOfInt8(LeaseEntry.BODY));
    }

    @Override
    public void write(CompactWriter writer, LeaseEntry entry) {
        writer.writeInt64(LeaseEntry.DUE_TIME, entry.dueTime());
        writer.writeString(LeaseEntry.TOKEN_ACCESSOR, entry.tokenAccessor());
        writer.writeArrayOfInt8(LeaseEntry.BODY, entry.body());
    }

    @Override
    public String getTypeName() {
        return TYPE_NAME;
    }

    @Override
    public Class<LeaseEntry> getCompactClass() {
        return LeaseEntry.class;
    }
}
