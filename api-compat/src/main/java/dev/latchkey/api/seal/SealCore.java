package dev.latchkey.api.seal;

import dev.latchkey.cluster.AesGcm;
import dev.latchkey.cluster.Barrier;
import dev.latchkey.cluster.Keyring;
import dev.latchkey.cluster.KeyringStore;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The seal lifecycle of one node, as Vault's core runs it: uninitialised, sealed, unsealed.
 *
 * <p>Keys, as in Vault: a random 32-byte <em>key-encryption key</em> (KEK) seals the root key in
 * storage ({@link KeyringStore}); the root key seals the keyring of data-key terms, which the
 * {@link Barrier} seals every stored value with. With the Shamir seal the KEK is split into the
 * unseal key shares ({@link Shamir}; one share is the KEK itself) and exists only while shares are
 * combined. With the {@link StaticSeal} the KEK is kept in storage wrapped by the static key, so
 * the node unseals itself, and initialising hands out <em>recovery</em> key shares instead, which
 * {@code sys/unseal} then takes after a manual seal.
 *
 * <p>What Vault keeps in storage beside the sealed values, this keeps too, under Vault's names:
 * {@code core/seal-config}, {@code core/keyring}, {@code core/hsm/barrier-unseal-keys}, and for the
 * static seal {@code core/recovery-config}, {@code core/recovery-key} and {@code core/hsm/kek}.
 *
 * <p>Every state change holds this object's lock; {@link #sealed()} and {@link #status()} read
 * memory only, so the event loop may ask them.
 */
public final class SealCore {
    private static final Logger LOG = Logger.getLogger(SealCore.class.getName());
    // the seal's records beneath the barrier; KeyringStore.isSealRecord knows each of them
    static final String SEAL_CONFIG_PATH = "core/seal-config";
    static final String RECOVERY_CONFIG_PATH = "core/recovery-config";
    static final String RECOVERY_KEY_PATH = "core/recovery-key";
    static final String KEK_PATH = "core/hsm/kek";
    /**
     * Written first by the one {@code sys/init} that goes ahead: members of a cluster share their
     * storage, and two inits at once on two members would each make a root key.
     */
    static final String INIT_CLAIM_PATH = "core/init-claim";
    private static final String SHAMIR = "shamir";
    /** A share is at most the key and its x byte; at least half a key. */
    private static final int MIN_KEY_BYTES = 16;
    private static final int MAX_KEY_BYTES = AesGcm.KEY_BYTES + Shamir.SHARE_OVERHEAD;

    /** What the node around the core does as the barrier opens and closes. */
    public interface Lifecycle {
        /** The barrier has just opened: start what runs behind it; the node answers once this returns. */
        void unsealed();

        /** The node is sealing (already refusing requests), the barrier still open: stop, forget. */
        void sealing();

        /** The barrier is open during initialisation: create the root token and return it. */
        String createRootToken();
    }

    private final Storage physical;
    private final Barrier barrier;
    private final KeyringStore keyrings;
    /** Null for the Shamir seal. */
    private final StaticSeal autoSeal;
    private final Lifecycle lifecycle;
    private final Supplier<Instant> clock;

    private volatile SealConfig barrierConfig;
    private volatile SealConfig recoveryConfig;
    private volatile boolean sealed = true;
    private volatile Instant unsealedAt;
    private final List<byte[]> parts = new ArrayList<>();
    private volatile String nonce = "";
    private volatile int progress;

    /**
     * @param physical  the node's storage beneath the barrier
     * @param barrier   the node's barrier, locked
     * @param autoSeal  the static seal, or null for Shamir
     * @throws IllegalStateException when storage was initialised with another kind of seal (Vault
     *                               would migrate the seal; Latchkey does not)
     */
    public SealCore(Storage physical, Barrier barrier, StaticSeal autoSeal, Lifecycle lifecycle,
                    Supplier<Instant> clock) {
        this.physical = physical;
        this.barrier = barrier;
        this.keyrings = new KeyringStore(physical);
        this.autoSeal = autoSeal;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.barrierConfig = physical.get(SEAL_CONFIG_PATH).map(SealConfig::decode).orElse(null);
        this.recoveryConfig = physical.get(RECOVERY_CONFIG_PATH).map(SealConfig::decode).orElse(null);
        if (barrierConfig != null && !barrierConfig.type().equals(barrierType())) {
            throw new IllegalStateException("storage was initialised with seal type \"" + barrierConfig.type()
                    + "\" but the configuration names seal type \"" + barrierType()
                    + "\": Latchkey does not migrate seals");
        }
    }

    /** The seal's type as Vault names it: {@code shamir} or {@code static}. */
    public String barrierType() {
        return autoSeal == null ? SHAMIR : StaticSeal.TYPE;
    }

    public boolean recoverySeal() {
        return autoSeal != null;
    }

    /** Whether this node knows its storage to be initialised; reads memory only, never blocks. */
    public boolean initialized() {
        return barrierConfig != null;
    }

    /**
     * Reads the seal's configuration again while there is none: on a cluster another member may
     * have run {@code sys/init} over the storage this node shares. Reads storage, so it runs off
     * the event loops: before an init or an unseal, and on the node's housekeeping schedule (status
     * reads, answered on the event loops, see what it last found).
     *
     * @return whether the storage is initialised
     */
    public boolean refreshFromStorage() {
        if (barrierConfig == null && physical.get(SEAL_CONFIG_PATH).isPresent()) {
            synchronized (this) {
                recoveryConfig = physical.get(RECOVERY_CONFIG_PATH).map(SealConfig::decode).orElse(null);
                barrierConfig = physical.get(SEAL_CONFIG_PATH).map(SealConfig::decode).orElse(null);
            }
        }
        return initialized();
    }

    /** True until unsealed, and again once sealed; an uninitialised node is sealed. */
    public boolean sealed() {
        return sealed;
    }

    public SealStatus status() {
        SealConfig shown = autoSeal != null ? recoveryConfig : barrierConfig;
        if (!initialized() || shown == null) {
            return new SealStatus(barrierType(), initialized(), true, 0, 0, 0, "", recoverySeal());
        }
        boolean s = sealed;
        return new SealStatus(shown.type(), true, s, shown.threshold(), shown.shares(), s ? progress : 0,
                s ? nonce : "", recoverySeal());
    }

    /**
     * Initialises the node: Vault's checks in Vault's order, then the keys. A Shamir node stays
     * sealed; a node with an auto-unseal seal unseals itself before this returns.
     *
     * @throws SealException 400 with Vault's text for a refused request
     */
    public synchronized InitResult initialize(InitRequest request) {
        List<String> barrierFlags = new ArrayList<>();
        if (request.secretShares() != 0) {
            barrierFlags.add("secret_shares");
        }
        if (request.secretThreshold() != 0) {
            barrierFlags.add("secret_threshold");
        }
        if (!request.pgpKeys().isEmpty()) {
            barrierFlags.add("pgp_keys");
        }
        List<String> recoveryFlags = new ArrayList<>();
        if (request.recoveryShares() != 0) {
            recoveryFlags.add("recovery_shares");
        }
        if (request.recoveryThreshold() != 0) {
            recoveryFlags.add("recovery_threshold");
        }
        if (!request.recoveryPgpKeys().isEmpty()) {
            recoveryFlags.add("recovery_pgp_keys");
        }
        List<String> wrongFamily = autoSeal != null ? barrierFlags : recoveryFlags;
        if (!wrongFamily.isEmpty()) {
            throw SealException.badRequest("parameters " + String.join(",", wrongFamily)
                    + " not applicable to seal type " + barrierType());
        }
        long shares = autoSeal != null ? 1 : request.secretShares();
        long threshold = autoSeal != null ? 1 : request.secretThreshold();
        if (!request.pgpKeys().isEmpty() && request.pgpKeys().size() != shares) {
            throw SealException.badRequest("incorrect number of PGP keys");
        }
        if (autoSeal != null) {
            if (!request.recoveryPgpKeys().isEmpty() && request.recoveryPgpKeys().size() != request.recoveryShares()) {
                throw SealException.badRequest("incorrect number of PGP keys for recovery");
            }
            if (request.recoveryShares() < 1) {
                throw SealException.badRequest("recovery configuration must specify a positive number of shares");
            }
            String invalid = SealConfig.validate(request.recoveryShares(), request.recoveryThreshold(),
                    request.recoveryPgpKeys());
            if (invalid != null) {
                throw SealException.badRequest("invalid recovery configuration: " + invalid);
            }
        }
        String invalid = SealConfig.validate(shares, threshold, request.pgpKeys());
        if (invalid != null) {
            throw SealException.badRequest("invalid seal configuration: " + invalid);
        }
        if (refreshFromStorage()) {
            throw SealException.badRequest("Vault is already initialized");
        }
        if (!request.rootTokenPgpKey().isEmpty()) {
            throw SealException.badRequest("root_token_pgp_key: Latchkey does not encrypt the root token with PGP");
        }
        if (!physical.putIfAbsent(INIT_CLAIM_PATH, "claimed".getBytes(StandardCharsets.UTF_8))) {
            throw SealException.badRequest("Vault is already initialized");
        }
        try {
            return autoSeal != null
                    ? initializeAuto((int) request.recoveryShares(), (int) request.recoveryThreshold())
                    : initializeShamir((int) shares, (int) threshold);
        } catch (RuntimeException e) {
            physical.delete(INIT_CLAIM_PATH); // nothing usable was made: another init may try
            throw e;
        }
    }

    private InitResult initializeShamir(int shares, int threshold) {
        byte[] kek = Randomness.bytes(AesGcm.KEY_BYTES);
        try {
            List<byte[]> keys = shares == 1 ? List.of(kek.clone()) : Shamir.split(kek, shares, threshold);
            String rootToken = createKeysAndRootToken(kek, () -> { });
            physical.put(SEAL_CONFIG_PATH, new SealConfig(SHAMIR, shares, threshold).encode());
            barrierConfig = new SealConfig(SHAMIR, shares, threshold);
            LOG.info("security barrier initialized: shares=" + shares + " threshold=" + threshold);
            return new InitResult(keys, List.of(), rootToken);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private InitResult initializeAuto(int recoveryShares, int recoveryThreshold) {
        byte[] kek = Randomness.bytes(AesGcm.KEY_BYTES);
        byte[] recoveryKey = Randomness.bytes(AesGcm.KEY_BYTES);
        try {
            List<byte[]> recovery = recoveryShares == 1 ? List.of(recoveryKey.clone())
                    : Shamir.split(recoveryKey, recoveryShares, recoveryThreshold);
            String rootToken = createKeysAndRootToken(kek, () -> {
                physical.put(KEK_PATH, autoSeal.wrap(KEK_PATH, kek));
                physical.put(RECOVERY_KEY_PATH, autoSeal.wrap(RECOVERY_KEY_PATH, recoveryKey));
            });
            SealConfig recoveryConf = new SealConfig(SHAMIR, recoveryShares, recoveryThreshold);
            physical.put(RECOVERY_CONFIG_PATH, recoveryConf.encode());
            physical.put(SEAL_CONFIG_PATH, new SealConfig(StaticSeal.TYPE, 1, 1).encode());
            recoveryConfig = recoveryConf;
            barrierConfig = new SealConfig(StaticSeal.TYPE, 1, 1);
            LOG.info("security barrier initialized with the static seal: recovery shares=" + recoveryShares
                    + " threshold=" + recoveryThreshold);
            if (!unsealWithStoredKeysLocked()) {
                throw new SealException(500, "the node was initialised but could not unseal itself; see the server log");
            }
            return new InitResult(List.of(), recovery, rootToken);
        } finally {
            Arrays.fill(kek, (byte) 0);
            Arrays.fill(recoveryKey, (byte) 0);
        }
    }

    /** Stores a new keyring under {@code kek}, opens the barrier just long enough to make the root token. */
    private String createKeysAndRootToken(byte[] kek, Runnable storeSealKeys) {
        Keyring keyring = keyrings.create(kek, clock.get());
        storeSealKeys.run();
        barrier.unlock(keyring);
        try {
            return lifecycle.createRootToken();
        } finally {
            lifecycle.sealing();
            barrier.lock();
        }
    }

    /** {@code reset: true}: forgets the shares collected so far. @throws SealException 400 when unsealed */
    public synchronized SealStatus resetUnseal() {
        if (!sealed) {
            throw SealException.badRequest("vault is unsealed");
        }
        forgetParts();
        return status();
    }

    /**
     * Takes one unseal key share (a recovery key share with an auto-unseal seal), as Vault's
     * {@code unsealFragment} does; at the threshold, combines them and opens the barrier.
     *
     * @throws SealException with Vault's status and text
     */
    public synchronized SealStatus unseal(byte[] key, boolean migrate) {
        if (migrate) {
            throw new SealException(500, "can't perform a seal migration, no migration seal found");
        }
        if (!refreshFromStorage()) {
            throw SealException.badRequest("Vault is not initialized");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw SealException.badRequest("invalid key: key is shorter than minimum " + MIN_KEY_BYTES + " bytes");
        }
        if (key.length > MAX_KEY_BYTES) {
            throw SealException.badRequest("invalid key: key is longer than maximum " + MAX_KEY_BYTES + " bytes");
        }
        if (!sealed) {
            return status();
        }
        for (byte[] existing : parts) {
            if (MessageDigest.isEqual(existing, key)) {
                return status(); // the same share again: ignored
            }
        }
        if (parts.isEmpty()) {
            nonce = UUID.randomUUID().toString();
        }
        parts.add(key.clone());
        progress = parts.size();
        SealConfig config = autoSeal != null ? recoveryConfig : barrierConfig;
        if (parts.size() < config.threshold()) {
            return status();
        }
        List<byte[]> collected = parts.stream().map(byte[]::clone).toList();
        forgetParts(); // whatever the outcome, an attempt at the threshold starts over
        byte[] combined;
        try {
            combined = config.threshold() == 1 ? collected.get(0).clone() : Shamir.combine(collected);
        } catch (IllegalArgumentException e) {
            throw SealException.badRequest("invalid key: failed to compute combined key: " + e.getMessage());
        } finally {
            collected.forEach(p -> Arrays.fill(p, (byte) 0));
        }
        try {
            if (autoSeal != null) {
                verifyRecoveryKey(combined);
                if (!unsealWithStoredKeysLocked()) {
                    throw new SealException(500, "unseal with stored key failed; see the server log");
                }
            } else {
                openBarrier(keyringFor(combined));
            }
        } finally {
            Arrays.fill(combined, (byte) 0);
        }
        return status();
    }

    /** The keyring the combined Shamir key opens, or Vault's answer to a wrong one. */
    private Keyring keyringFor(byte[] kek) {
        if (kek.length != 16 && kek.length != 24 && kek.length != AesGcm.KEY_BYTES) {
            throw SealException.badRequest("invalid key: failed to setup unseal key: crypto/aes: invalid key size "
                    + kek.length);
        }
        String wrongKey = "unable to retrieve stored keys: invalid key: failed to decrypt keys from storage: "
                + AesGcm.AUTHENTICATION_FAILED;
        if (kek.length != AesGcm.KEY_BYTES) {
            throw SealException.badRequest(wrongKey); // a valid AES key, but not the 256-bit one used
        }
        try {
            return keyrings.open(kek);
        } catch (KeyringStore.WrongKeyException e) {
            throw SealException.badRequest(wrongKey);
        }
    }

    private void verifyRecoveryKey(byte[] combined) {
        byte[] stored = physical.get(RECOVERY_KEY_PATH).map(w -> autoSeal.unwrap(RECOVERY_KEY_PATH, w))
                .orElseThrow(() -> new SealException(500, "recovery key not found"));
        try {
            if (!MessageDigest.isEqual(stored, combined)) {
                throw SealException.badRequest(
                        "invalid key: failed to verify recovery key: recovery key does not match submitted values");
            }
        } finally {
            Arrays.fill(stored, (byte) 0);
        }
    }

    /**
     * Auto-unseal: opens the barrier with the KEK the static seal keeps, as a node with such a seal
     * does when it starts. A no-op for a Shamir seal, an uninitialised node or an unsealed one.
     *
     * @return whether the node is unsealed afterwards
     */
    public synchronized boolean unsealWithStoredKeys() {
        return unsealWithStoredKeysLocked();
    }

    private boolean unsealWithStoredKeysLocked() {
        if (autoSeal == null || !refreshFromStorage()) {
            return !sealed;
        }
        if (!sealed) {
            return true;
        }
        byte[] kek = null;
        try {
            byte[] wrapped = physical.get(KEK_PATH)
                    .orElseThrow(() -> new IllegalStateException("stored unseal keys are supported, but none were found"));
            kek = autoSeal.unwrap(KEK_PATH, wrapped);
            Keyring keyring = keyrings.open(kek);
            if (autoSeal.wrappedWithOlderKey(wrapped)) {
                physical.put(KEK_PATH, autoSeal.wrap(KEK_PATH, kek)); // rewrapped with the current key
                physical.get(RECOVERY_KEY_PATH).ifPresent(w -> {
                    byte[] r = autoSeal.unwrap(RECOVERY_KEY_PATH, w);
                    physical.put(RECOVERY_KEY_PATH, autoSeal.wrap(RECOVERY_KEY_PATH, r));
                    Arrays.fill(r, (byte) 0);
                });
                LOG.info("seal keys rewrapped with static key " + autoSeal.currentKeyId());
            }
            openBarrier(keyring);
            LOG.info("unsealed with stored key");
            return true;
        } catch (KeyringStore.WrongKeyException | RuntimeException e) {
            LOG.log(Level.SEVERE, "unseal with stored key failed: {0}", e.getMessage());
            return false;
        } finally {
            if (kek != null) {
                Arrays.fill(kek, (byte) 0);
            }
        }
    }

    private void openBarrier(Keyring keyring) {
        barrier.unlock(keyring);
        try {
            lifecycle.unsealed();
        } catch (RuntimeException e) {
            lifecycle.sealing();
            barrier.lock();
            throw new SealException(500, "post-unseal setup failed: " + e.getMessage());
        }
        sealed = false;
        unsealedAt = clock.get();
    }

    /**
     * Seals the node: from now on it refuses requests; then what runs behind the barrier stops and
     * the keys are dropped from memory. A no-op when already sealed. The caller has checked the
     * token.
     */
    public synchronized void seal() {
        forgetParts();
        if (sealed) {
            return;
        }
        sealed = true;
        try {
            lifecycle.sealing();
        } finally {
            barrier.lock();
            LOG.info("vault is sealed");
        }
    }

    /** When this node was last unsealed; null while it never was. */
    public Instant unsealedAt() {
        return unsealedAt;
    }

    /** {@code sys/key-status}. @throws dev.latchkey.cluster.BarrierSealedException when sealed */
    public KeyStatus keyStatus() {
        Keyring.Term active = barrier.keyring().active();
        return new KeyStatus(active.term(), active.installTime(), barrier.encryptions());
    }

    /**
     * {@code sys/rotate}: a new data-key term, stored before it is used. Values sealed before stay
     * readable under their own terms.
     *
     * @return the new term
     */
    public synchronized int rotate() {
        Keyring current = barrier.keyring();
        Keyring rotated = current.withNewTerm(Randomness.bytes(AesGcm.KEY_BYTES), clock.get());
        keyrings.persist(rotated);
        barrier.install(rotated);
        LOG.info("installed new encryption key term " + rotated.activeTerm());
        return rotated.activeTerm();
    }

    private void forgetParts() {
        parts.forEach(p -> Arrays.fill(p, (byte) 0));
        parts.clear();
        progress = 0;
        nonce = "";
    }
}
