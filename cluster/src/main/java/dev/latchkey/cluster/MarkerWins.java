package dev.latchkey.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * How a configured cluster's maps merge when a network split heals: an entry either side marked
 * (an OTP consumed, a token revoked, a role deleted: {@link HazelcastStorage#MARKER}) stays marked;
 * otherwise the existing entry stays, and an entry only the merging side has is added. Under
 * Hazelcast's default, where the existing entry stays, a live copy on one side would win over the
 * other side's record of a redemption or a revocation: an OTP could be redeemed a second time, a
 * revoked token would work again. Nor can the later update win: a member that took over its
 * partitions during the split holds copies whose update times are those of the takeover.
 */
public final class MarkerWins implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {
    @Override
    public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
        if (existing == null) {
            return merging.getRawValue();
        }
        if (consumed(merging)) {
            return merging.getRawValue();
        }
        return existing.getRawValue();
    }

    private static boolean consumed(MergingValue<Object> value) {
        return value.getDeserializedValue() instanceof byte[] bytes && HazelcastStorage.isMarker(bytes);
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
