package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The outstanding OTPs of a configured cluster: taking one leaves a consumed marker in its place
 * instead of removing it. The marker stays until the OTP's lease ends (its revocation deletes the
 * key, marker and all), so that when a network split heals, the side that saw the OTP redeemed
 * wins over the side that still holds it ({@link ConsumedOtpWins}): with a removal, the merge
 * would put the OTP back. Reads see a marker as no value.
 */
final class ConsumedMarkerStorage implements Storage {
    /** A sealed value is never empty, so the empty value can only be the marker. */
    static final byte[] CONSUMED = new byte[0];

    private final IMap<String, byte[]> map;
    private final Storage plain;

    ConsumedMarkerStorage(IMap<String, byte[]> map) {
        this.map = map;
        this.plain = new HazelcastStorage(map);
    }

    static boolean isConsumed(byte[] value) {
        return value != null && value.length == 0;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return plain.get(key).filter(v -> !isConsumed(v));
    }

    @Override
    public void put(String key, byte[] value) {
        plain.put(key, value);
    }

    /** A consumed marker holds its key: a new OTP never lands on the hash of a redeemed one. */
    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        return plain.putIfAbsent(key, value);
    }

    @Override
    public void delete(String key) {
        plain.delete(key);
    }

    /** One entry processor on the key's partition: of concurrent takes, one gets the value. */
    @Override
    public Optional<byte[]> take(String key) {
        return Optional.ofNullable(map.executeOnKey(key, new TakeLeavingMarker()));
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        return plain.update(key, current -> update.apply(isConsumed(current) ? null : current));
    }

    @Override
    public List<String> list(String prefix) {
        return plain.list(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
        plain.deletePrefix(prefix);
    }
}
