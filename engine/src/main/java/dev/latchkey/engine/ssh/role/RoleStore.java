package dev.latchkey.engine.ssh.role;

import dev.latchkey.engine.storage.CorruptRecordException;
import dev.latchkey.engine.storage.DecodedCache;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;

/** Roles under {@code roles/<name>} in the mount's storage. */
public final class RoleStore {
    private static final String PREFIX = "roles/";
    private final Storage storage;
    private final DecodedCache<SshRole> decoded = new DecodedCache<>(10_000);

    public RoleStore(Storage storage) {
        this.storage = storage;
    }

    /** The role, if stored; {@link CorruptRecordException} if stored but unreadable. */
    public Optional<SshRole> get(String name) {
        return storage.get(PREFIX + name).map(b -> decoded.decode(name, b, raw -> decode(name, raw)));
    }

    private static SshRole decode(String name, byte[] raw) {
        try {
            return SshRole.fromStorage(JsonValues.decode(raw));
        } catch (RuntimeException e) {
            throw new CorruptRecordException("stored role " + name + " is unreadable", e);
        }
    }

    public boolean exists(String name) {
        return storage.get(PREFIX + name).isPresent();
    }

    public void put(String name, SshRole role) {
        storage.put(PREFIX + name, JsonValues.encode(role.toStorage()));
    }

    public void delete(String name) {
        storage.delete(PREFIX + name);
    }

    /** Role names in lexicographic order. */
    public List<String> names() {
        return storage.list(PREFIX).stream().filter(n -> !n.endsWith("/")).toList();
    }
}
