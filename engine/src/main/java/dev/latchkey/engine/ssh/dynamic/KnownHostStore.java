package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Host keys trusted on first use, one per {@code ip:port}, under {@code known_hosts/<address>}.
 * The first key stored wins: concurrent first connections race through {@code putIfAbsent}, so
 * every member of a cluster agrees on one key.
 */
public final class KnownHostStore {
    private static final Logger LOG = Logger.getLogger(KnownHostStore.class.getName());
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

    /** Accepts {@code presented} if it is the recorded key, or records it if there is none. */
    public void trust(String address, SshPublicKey presented) {
        if (storage.putIfAbsent(PREFIX + address, encode(presented, clockMillis.getAsLong() / 1000))) {
            LOG.log(Level.INFO, "trusting the host key of {0} on first use: {1}",
                    new Object[] {address, HostKeyPolicy.describe(presented)});
            return;
        }
        Entry known = get(address).orElseThrow(() -> new HostKeyRejectedException(
                "the recorded host key for " + address + " vanished while it was checked; try again"));
        if (!known.key().equals(presented)) {
            throw new HostKeyRejectedException("HOST KEY CHANGED: the host presented " + HostKeyPolicy.describe(presented)
                    + " but " + HostKeyPolicy.describe(known.key()) + " was trusted on first use; if the host "
                    + "was re-keyed on purpose, delete known_hosts/" + address + " on this mount to trust the new key");
        }
    }

    /** Records a key given by an operator, replacing what was there. */
    public void put(String address, SshPublicKey key) {
        storage.put(PREFIX + address, encode(key, clockMillis.getAsLong() / 1000));
    }

    public Optional<Entry> get(String address) {
        return storage.get(PREFIX + address).map(bytes -> {
            Map<String, Object> m = JsonValues.decode(bytes);
            try {
                return new Entry(SshPublicKey.parse(String.valueOf(m.get("key"))),
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
