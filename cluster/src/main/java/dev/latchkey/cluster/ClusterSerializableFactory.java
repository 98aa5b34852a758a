package dev.latchkey.cluster;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Creates this module's {@link IdentifiedDataSerializable} objects on the receiving member. */
final class ClusterSerializableFactory implements DataSerializableFactory {
    /** "LK"; must be the same on every member and unused by Hazelcast (whose own IDs are negative). */
    static final int FACTORY_ID = 0x4C4B;
    static final int KEY_PREFIX_PREDICATE = 1;
    static final int KEY_PATTERN_PREDICATE = 2;
    static final int KEY_SLICE_PREDICATE = 3;
    static final int CACHE_INVALIDATION = 4;
    static final int TAKE_LEAVING_MARKER = 5;
    static final int PUT_UNLESS_LIVE = 6;
    static final int KEY_RANGE_PREDICATE = 7;
    static final int LEAST_KEYS = 8;

    @Override
    public IdentifiedDataSerializable create(int classId) {
        if (classId == KEY_PREFIX_PREDICATE) {
            return new KeyPrefixPredicate<>();
        }
        if (classId == KEY_PATTERN_PREDICATE) {
            return new KeyPatternPredicate<>();
        }
        if (classId == KEY_SLICE_PREDICATE) {
            return new KeySlicePredicate<>();
        }
        if (classId == CACHE_INVALIDATION) {
            return new CacheInvalidation();
        }
        if (classId == TAKE_LEAVING_MARKER) {
            return new TakeLeavingMarker();
        }
        if (classId == PUT_UNLESS_LIVE) {
            return new PutUnlessLive();
        }
        if (classId == KEY_RANGE_PREDICATE) {
            return new KeyRangePredicate<>();
        }
        if (classId == LEAST_KEYS) {
            return new LeastKeys();
        }
        throw new IllegalArgumentException("unknown class id " + classId + " for factory " + FACTORY_ID);
    }
}
