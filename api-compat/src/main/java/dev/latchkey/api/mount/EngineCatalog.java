package dev.latchkey.api.mount;

import dev.latchkey.engine.framework.Backend;
import dev.latchkey.engine.storage.Storage;

import java.util.Map;

/**
 * The secrets engines a mount can be enabled with, by type: what Vault calls its catalog of
 * builtin plugins. {@code sys/mounts} checks a type against it, and the mount table builds each
 * mount's engine from it.
 */
public final class EngineCatalog {
    /** Builds the engine of one mount over that mount's private storage. */
    @FunctionalInterface
    public interface Factory {
        Backend create(Storage mountStorage);
    }

    private final Map<String, Factory> factories;

    public EngineCatalog(Map<String, Factory> factories) {
        this.factories = Map.copyOf(factories);
    }

    public boolean contains(String type) {
        return factories.containsKey(type);
    }

    Backend create(String type, Storage mountStorage) {
        Factory factory = factories.get(type);
        if (factory == null) {
            throw new IllegalStateException("a mount has type " + type + ", which no engine in this build serves");
        }
        return factory.create(mountStorage);
    }
}
