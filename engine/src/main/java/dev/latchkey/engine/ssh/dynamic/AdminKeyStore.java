package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Map;

/**
 * Admin keys for dynamic roles under {@code keys/<name>} as {@code {"key":"<PEM>"}} (spec §3.1).
 * Sealed at rest like every value; no endpoint ever reads one back.
 */
public final class AdminKeyStore {
    private static final String PREFIX = "keys/";
    private final Storage storage;

    public AdminKeyStore(Storage storage) {
        this.storage = storage;
    }

    public boolean exists(String name) {
        return storage.get(PREFIX + name).isPresent();
    }

    public void put(String name, String pem) {
        storage.put(PREFIX + name, JsonValues.encode(Map.of("key", pem)));
    }

    public void delete(String name) {
        storage.delete(PREFIX + name);
    }

    public List<String> names() {
        return storage.list(PREFIX).stream().filter(n -> !n.endsWith("/")).toList();
    }
}
