package dev.latchkey.engine.ssh;

import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;

/** Roles under {@code roles/<name>} in the mount's storage. */
public final class RoleStore {
    private static final String PREFIX = "roles/";
    private final Storage storage;

    public RoleStore(Storage storage) {
        this.storage = storage;
    }

    public Optional<SshRole> get(String name) {
        return storage.get(PREFIX + name).map(b -> SshRole.fromStorage(JsonValues.decode(b)));
    }

    boolean exists(String name) {
        return storage.get(PREFIX + name).isPresent();
    }

    void put(String name, SshRole role) {
        storage.put(PREFIX + name, JsonValues.encode(role.toStorage()));
    }

    void delete(String name) {
        storage.delete(PREFIX + name);
    }

    /** Role names in lexicographic order. */
    List<String> names() {
        return storage.list(PREFIX).stream().filter(n -> !n.endsWith("/")).toList();
    }
}
