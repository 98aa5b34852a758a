package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Target host keys, one per {@code ip:port}, under {@code known_hosts/<address>}: recorded on first
 * use (see {@link TrustOnFirstUse}) or given by an operator through {@code known_hosts/:address}.
 */
public final class KnownHostStore {
    private static final String PREFIX = "known_hosts/";

    /** A trusted key and when it was first seen (Unix seconds). */
    public record Entry(SshPublicKey key, long firstSeen) {
    }

    private final Storage storage;
    private final LongSupplier clockMillis;

    public KnownHostStore(Storage storage, LongSupplier clockMillis) {
        this.storage = storage;
        this.clockMillis = clockMillis;
    }

    /** Records the key unless the address already has one; true when it was recorded. */
    public boolean putIfAbsent(String address, SshPublicKey key) {
        return storage.putIfAbsent(PREFIX + address, encode(key, clockMillis.getAsLong() / 1000));
    }

    /** Records a key given by an operator, replacing what was there. */
    public void put(String address, SshPublicKey key) {
        storage.put(PREFIX + address, encode(key, clockMillis.getAsLong() / 1000));
    }

    public Optional<Entry> get(String address) {
        return storage.get(PREFIX + address).map(bytes -> {
            Map<String, Object> m = JsonValues.decode(bytes);
            try {
                // read with the ceiling: the size rule applies when a key is recorded, not to one already stored
                return new Entry(SshPublicKey.parse(String.valueOf(m.get("key")), RsaKeySizes.CEILING_BITS),
                        m.get("first_seen") instanceof Number n ? n.longValue() : 0L);
            } catch (SshKeyException e) {
                throw new IllegalStateException("stored host key for " + address + " is unreadable", e);
            }
        });
    }

    public void delete(String address) {
        storage.delete(PREFIX + address);
    }

    public List<String> addresses() {
        return storage.list(PREFIX).stream().filter(n -> !n.endsWith("/")).sorted().toList();
    }

    private static byte[] encode(SshPublicKey key, long firstSeen) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key.toLine());
        m.put("first_seen", firstSeen);
        return JsonValues.encode(m);
    }
}
