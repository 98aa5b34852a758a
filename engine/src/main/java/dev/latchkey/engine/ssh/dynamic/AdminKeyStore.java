package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admin keys for dynamic roles under {@code keys/<name>} as {@code {"key":"<PEM>"}}, as Vault stores them.
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

    /** The key, parsed; empty if there is none under that name. */
    public Optional<SshPrivateKey> get(String name) {
        return storage.get(PREFIX + name).map(bytes -> {
            try {
                // read with the ceiling: the size rules apply when a key is registered, not to one already stored
                return SshPrivateKey.parse(String.valueOf(JsonValues.decode(bytes).get("key")), RsaKeySizes.CEILING_BITS);
            } catch (SshKeyException e) {
                throw new IllegalStateException("stored admin key " + name + " is unreadable", e);
            }
        });
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
