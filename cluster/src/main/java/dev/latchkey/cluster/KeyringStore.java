package dev.latchkey.cluster;

import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.Storage;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the barrier's keys live in a node's physical storage, beside the values they seal, as in
 * Vault: the keyring at {@code core/keyring}, sealed with the root key (term 1, as Vault writes
 * it); the root key at {@code core/hsm/barrier-unseal-keys}, sealed with the key-encryption key
 * (KEK) that the seal provides (Shamir shares combined, or the auto-unseal key). Neither goes
 * through the barrier: they are what opens it.
 */
public final class KeyringStore {
    public static final String KEYRING_PATH = "core/keyring";
    public static final String ROOT_KEY_PATH = "core/hsm/barrier-unseal-keys";
    /**
     * Every key the seal keeps beneath the barrier, beside the sealed values: these and everything
     * under {@code core/hsm/}. The sealed view neither lists nor bulk-deletes them.
     */
    public static final List<String> SEAL_RECORDS = List.of(KEYRING_PATH, "core/seal-config", "core/recovery-config",
            "core/recovery-key", "core/init-claim");
    static final String SEAL_RECORD_PREFIX = "core/hsm/";

    /** Whether {@code key} is one of the seal's own records ({@link #SEAL_RECORDS}, {@code core/hsm/...}). */
    public static boolean isSealRecord(String key) {
        return key.startsWith(SEAL_RECORD_PREFIX) || SEAL_RECORDS.contains(key);
    }

    private final Storage physical;

    public KeyringStore(Storage physical) {
        this.physical = physical;
    }

    /** The KEK does not open the stored root key (GCM authentication failed). */
    public static final class WrongKeyException extends Exception {
        WrongKeyException() {
            super("failed to decrypt keys from storage: " + AesGcm.AUTHENTICATION_FAILED, null, false, false);
        }
    }

    public boolean exists() {
        return physical.get(KEYRING_PATH).isPresent();
    }

    /**
     * Creates a root key and a keyring with a first term, stores both (the root key under
     * {@code kek}), and returns the keyring.
     */
    public Keyring create(byte[] kek, Instant now) {
        Keyring keyring = Keyring.create(Randomness.bytes(AesGcm.KEY_BYTES), Randomness.bytes(AesGcm.KEY_BYTES), now);
        persist(keyring);
        physical.put(ROOT_KEY_PATH, AesGcm.seal(AesGcm.key(kek), 1, ROOT_KEY_PATH, keyring.rootKey()));
        return keyring;
    }

    /**
     * Opens the root key with {@code kek} and the keyring with the root key.
     *
     * @throws WrongKeyException     when {@code kek} is not the key the root key was sealed with
     * @throws IllegalStateException when nothing is stored
     */
    public Keyring open(byte[] kek) throws WrongKeyException {
        byte[] wrapped = physical.get(ROOT_KEY_PATH)
                .orElseThrow(() -> new IllegalStateException("no root key is stored: the node is not initialised"));
        byte[] root;
        try {
            root = AesGcm.open(AesGcm.key(kek), ROOT_KEY_PATH, wrapped);
        } catch (BarrierException e) {
            if (e.getMessage().equals(AesGcm.AUTHENTICATION_FAILED)) {
                throw new WrongKeyException();
            }
            throw e;
        }
        try {
            Optional<byte[]> sealed = physical.get(KEYRING_PATH);
            if (sealed.isEmpty()) {
                throw new IllegalStateException("the root key is stored but the keyring is missing");
            }
            byte[] plain = AesGcm.open(AesGcm.key(root), KEYRING_PATH, sealed.get());
            try {
                Keyring keyring = Keyring.deserialize(plain);
                if (!Arrays.equals(keyring.rootKey(), root)) {
                    throw new IllegalStateException("the stored keyring names another root key");
                }
                return keyring;
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } finally {
            Arrays.fill(root, (byte) 0);
        }
    }

    /**
     * The stored keyring, opened with the root key of {@code current} (another member may have
     * rotated it); null when it is missing or another root key sealed it.
     */
    public Keyring reopen(Keyring current) {
        Optional<byte[]> sealed = physical.get(KEYRING_PATH);
        if (sealed.isEmpty()) {
            return null;
        }
        byte[] plain;
        try {
            plain = AesGcm.open(AesGcm.key(current.rootKey()), KEYRING_PATH, sealed.get());
        } catch (BarrierException e) {
            return null;
        }
        try {
            Keyring stored = Keyring.deserialize(plain);
            return Arrays.equals(stored.rootKey(), current.rootKey()) ? stored : null;
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Writes {@code keyring} (after a rotation), sealed with its root key. */
    public void persist(Keyring keyring) {
        byte[] plain = keyring.serialize();
        try {
            physical.put(KEYRING_PATH, AesGcm.seal(AesGcm.key(keyring.rootKey()), 1, KEYRING_PATH, plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
