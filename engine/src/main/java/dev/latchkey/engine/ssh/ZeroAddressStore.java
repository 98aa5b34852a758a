package dev.latchkey.engine.ssh;

import dev.latchkey.engine.storage.DecodedCache;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The roles allowed for any IP, under {@code config/zeroaddress} as {@code {"roles":[...]}}. */
final class ZeroAddressStore {
    private static final String KEY = "config/zeroaddress";
    private final Storage storage;
    private final DecodedCache<List<String>> decoded = new DecodedCache<>(1);

    ZeroAddressStore(Storage storage) {
        this.storage = storage;
    }

    /** The stored list, or empty when never written (or deleted). */
    Optional<List<String>> get() {
        return storage.get(KEY).map(b -> decoded.decode(KEY, b, raw -> {
            Object roles = JsonValues.decode(raw).get("roles");
            List<String> out = new ArrayList<>();
            if (roles instanceof List<?> l) {
                l.forEach(r -> out.add(String.valueOf(r)));
            }
            return List.copyOf(out);
        }));
    }

    boolean contains(String role) {
        return get().map(l -> l.contains(role)).orElse(false);
    }

    void put(List<String> roles) {
        storage.put(KEY, JsonValues.encode(Map.of("roles", roles)));
    }

    void delete() {
        storage.delete(KEY);
    }

    /** Rewrites the list without the role, when a list exists (as Vault does on role delete). */
    void remove(String role) {
        storage.update(KEY, current -> {
            if (current == null) {
                return null;
            }
            Map<String, Object> m = JsonValues.decode(current);
            List<String> kept = new ArrayList<>();
            if (m.get("roles") instanceof List<?> l) {
                l.forEach(r -> {
                    if (!role.equals(r)) {
                        kept.add(String.valueOf(r));
                    }
                });
            }
            return JsonValues.encode(Map.of("roles", kept));
        });
    }
}
