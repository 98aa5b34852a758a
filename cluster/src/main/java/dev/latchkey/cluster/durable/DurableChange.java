package dev.latchkey.cluster.durable;

import java.util.Objects;

/**
 * One write to a durable store.
 *
 * @param space the key space
 * @param key   the key in clear: a storage path or lease ID, never a secret
 * @param value the sealed value to store; null deletes the key
 */
public record DurableChange(Space space, String key, byte[] value) {
    public DurableChange {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(key, "key");
    }

    public static DurableChange put(Space space, String key, byte[] sealed) {
        return new DurableChange(space, key, Objects.requireNonNull(sealed, "sealed"));
    }

    public static DurableChange delete(Space space, String key) {
        return new DurableChange(space, key, null);
    }

    public boolean isDelete() {
        return value == null;
    }
}
