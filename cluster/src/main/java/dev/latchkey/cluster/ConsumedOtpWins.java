package dev.latchkey.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * How the OTP map merges when a network split heals: an entry either side consumed stays consumed;
 * otherwise the existing entry stays, and an entry only the merging side has is added (an OTP that
 * one side already revoked may so come back, but it carries its own expiry and its lease comes
 * back with it, to be revoked again). Under Hazelcast's default, where the existing entry stays, a
 * live OTP on one side would win over the other side's record of its redemption, and could be
 * redeemed a second time.
 */
public final class ConsumedOtpWins implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {
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
        return value.getDeserializedValue() instanceof byte[] bytes && ConsumedMarkerStorage.isConsumed(bytes);
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
