package dev.latchkey.api.token;

import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;

/**
 * Token roles, one JSON record each under {@code core/token/role/<name>}. Every write is a single
 * put; a reader sees a role whole or not at all.
 */
public final class TokenRoles {
    private static final String PREFIX = "core/token/role/";

    private final Storage storage;

    public TokenRoles(Storage storage) {
        this.storage = storage;
    }

    public Optional<TokenRole> get(String name) {
        return storage.get(PREFIX + name).map(b -> TokenRole.fromStorage(JsonValues.decode(b)));
    }

    public void put(TokenRole role) {
        storage.put(PREFIX + role.name(), JsonValues.encode(role.toStorage()));
    }

    public void delete(String name) {
        storage.delete(PREFIX + name);
    }

    /** The role names, sorted. */
    public List<String> names() {
        return storage.list(PREFIX).stream().filter(n -> !n.endsWith("/")).sorted().toList();
    }
}
