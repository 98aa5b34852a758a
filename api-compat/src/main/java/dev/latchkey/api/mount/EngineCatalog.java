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
    private final Map<String, Factory> authMethods;

    /** Secrets engines only. */
    public EngineCatalog(Map<String, Factory> factories) {
        this(factories, Map.of());
    }

    /**
     * @param factories   secrets engines, by type
     * @param authMethods auth methods, by type (mounted under {@code auth/})
     */
    public EngineCatalog(Map<String, Factory> factories, Map<String, Factory> authMethods) {
        this.factories = Map.copyOf(factories);
        this.authMethods = Map.copyOf(authMethods);
    }

    /** Whether a secrets engine of this type exists. */
    public boolean contains(String type) {
        return factories.containsKey(type);
    }

    /** Whether an auth method of this type exists. */
    public boolean containsAuth(String type) {
        return authMethods.containsKey(type);
    }

    Backend create(String type, Storage mountStorage) {
        Factory factory = factories.containsKey(type) ? factories.get(type) : authMethods.get(type);
        if (factory == null) {
            throw new IllegalStateException("a mount has type " + type + ", which no engine in this build serves");
        }
        return factory.create(mountStorage);
    }
}
