package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.util.Map;
import java.util.Optional;

/**
 * The mount's CA key pair under {@code config/ca_public_key} and {@code config/ca_private_key}
 * (Vault's storage keys), each {@code {"key":"<text>"}}. The parsed private key is cached against the exact
 * stored text, so every node stays correct without an invalidation protocol.
 */
public final class CaKeyStore {
    private static final String PUBLIC = "config/ca_public_key";
    private static final String PRIVATE = "config/ca_private_key";

    private final Storage storage;
    private volatile Parsed cached;

    private record Parsed(String pem, SshPrivateKey key) {
    }

    public CaKeyStore(Storage storage) {
        this.storage = storage;
    }

    public Optional<String> publicKey() {
        return storage.get(PUBLIC).map(CaKeyStore::text);
    }

    public boolean isConfigured() {
        return storage.get(PUBLIC).isPresent() || storage.get(PRIVATE).isPresent();
    }

    /** The signing key, or empty when none is configured. */
    public Optional<SshPrivateKey> privateKey() {
        Optional<String> pem = storage.get(PRIVATE).map(CaKeyStore::text);
        if (pem.isEmpty()) {
            return Optional.empty();
        }
        Parsed c = cached;
        if (c == null || !c.pem().equals(pem.get())) {
            // read with the ceiling: the size rule applies when a key is configured, not to one already stored
            c = new Parsed(pem.get(), SshPrivateKey.parse(pem.get(), RsaKeySizes.CEILING_BITS));
            cached = c;
        }
        return Optional.of(c.key());
    }

    /**
     * Stores both halves unless a key pair is already there (first writer wins across the
     * cluster); false when keys were already configured.
     */
    public boolean storeIfAbsent(String publicKeyText, String privateKeyPem) {
        if (storage.get(PRIVATE).isPresent()) {
            return false;
        }
        if (!storage.putIfAbsent(PUBLIC, JsonValues.encode(Map.of("key", publicKeyText)))) {
            return false;
        }
        try {
            storage.put(PRIVATE, JsonValues.encode(Map.of("key", privateKeyPem)));
            return true;
        } catch (RuntimeException e) {
            storage.delete(PUBLIC);
            throw e;
        }
    }

    public void delete() {
        storage.delete(PRIVATE);
        storage.delete(PUBLIC);
        cached = null;
    }

    private static String text(byte[] stored) {
        Object key = JsonValues.decode(stored).get("key");
        return key == null ? "" : key.toString();
    }
}
