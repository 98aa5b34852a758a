package dev.latchkey.cluster;

import dev.latchkey.engine.random.Randomness;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Seals values with AES-256-GCM before they leave the process (into Hazelcast, its backups, or the
 * storage behind a node), in the layout of Vault's barrier ({@link AesGcm}): each value names the
 * keyring term whose key sealed it, and the entry's key is the associated data, so a sealed value
 * copied under another key does not open.
 *
 * <p>The barrier holds a {@link Keyring} while the node is unsealed and nothing while it is sealed
 * ({@link #lock()}): then every seal and open fails with {@link BarrierSealedException}. New values
 * use the active term; {@link #install} puts a rotated keyring in place, after which old values
 * still open with their own term's key.
 */
public final class Barrier {
    private volatile Keyring keyring;
    private final AtomicLong encryptions = new AtomicLong();
    /**
     * Reads the keyring stored for the cluster, given the one in use (whose root key opens it);
     * null on a node whose keyring only it changes.
     */
    private volatile UnaryOperator<Keyring> storedKeyring;

    private Barrier(Keyring keyring) {
        this.keyring = keyring;
    }

    /**
     * An unlocked barrier whose only term (1) holds {@code key32}: members of one cluster share it.
     * Its root key is random and never stored, so this keyring cannot be persisted usefully.
     */
    public Barrier(byte[] key32) {
        this(Keyring.create(Randomness.bytes(AesGcm.KEY_BYTES), key32.clone(), Instant.now()));
    }

    /** An unlocked barrier with a fresh key that lives only in this process: tests and members of one JVM. */
    public static Barrier withRandomKey() {
        return new Barrier(Keyring.create(Randomness.bytes(AesGcm.KEY_BYTES), Randomness.bytes(AesGcm.KEY_BYTES),
                Instant.now()));
    }

    /** A locked barrier: it opens when the seal lifecycle hands it the keyring ({@link #unlock}). */
    public static Barrier locked() {
        return new Barrier((Keyring) null);
    }

    /** Opens the barrier with {@code keyring}; a barrier already open takes the new keyring. */
    public synchronized void unlock(Keyring keyring) {
        this.keyring = keyring;
        encryptions.set(0);
    }

    /** Seals the node: drops and overwrites the keys; every seal and open fails until {@link #unlock}. */
    public synchronized void lock() {
        Keyring k = keyring;
        keyring = null;
        if (k != null) {
            k.destroy();
        }
    }

    public boolean isLocked() {
        return keyring == null;
    }

    /** The keyring in use. @throws BarrierSealedException when locked */
    public Keyring keyring() {
        Keyring k = keyring;
        if (k == null) {
            throw new BarrierSealedException();
        }
        return k;
    }

    /**
     * Puts a rotated keyring in place: it must keep every term of the current one and add newer
     * ones. New values use its active term from now on.
     */
    public synchronized void install(Keyring rotated) {
        Keyring current = keyring();
        for (Keyring.Term t : current.terms()) {
            Keyring.Term kept = rotated.term(t.term());
            if (kept == null || !java.security.MessageDigest.isEqual(kept.key(), t.key())) {
                throw new IllegalArgumentException("a rotated keyring must keep term " + t.term());
            }
        }
        if (rotated.activeTerm() <= current.activeTerm()) {
            throw new IllegalArgumentException("a rotated keyring must add a term");
        }
        keyring = rotated;
        encryptions.set(0);
    }

    /**
     * On a cluster member: where to find the keyring another member rotated. A value sealed with a
     * term this barrier does not know makes it read the stored keyring once and take it when it
     * holds that term; {@link #refresh} does so on request.
     */
    public void readRotationsFrom(UnaryOperator<Keyring> stored) {
        this.storedKeyring = stored;
    }

    /** Takes the stored keyring if it is a rotation of the one in use; a no-op when locked. */
    public synchronized void refresh() {
        Keyring current = keyring;
        UnaryOperator<Keyring> source = storedKeyring;
        if (current == null || source == null) {
            return;
        }
        Keyring stored = source.apply(current);
        if (stored != null && stored.activeTerm() > current.activeTerm()) {
            install(stored);
        }
    }

    /** Values sealed with the active term since it was installed (or since this node unsealed). */
    public long encryptions() {
        return encryptions.get();
    }

    public byte[] seal(String entryKey, byte[] plaintext) {
        Keyring.Term active = keyring().active();
        byte[] sealed = AesGcm.seal(active.secretKey(), active.term(), entryKey, plaintext);
        encryptions.incrementAndGet();
        return sealed;
    }

    public byte[] open(String entryKey, byte[] sealed) {
        Keyring k = keyring();
        int term = AesGcm.term(sealed);
        Keyring.Term key = k.term(term);
        if (key == null && storedKeyring != null && term > k.activeTerm()) {
            refresh(); // another member rotated
            key = keyring().term(term);
        }
        if (key == null) {
            throw new BarrierException("sealed value names term " + term + ", which this keyring does not have");
        }
        try {
            return AesGcm.open(key.secretKey(), entryKey, sealed);
        } catch (BarrierException e) {
            if (e.getMessage().equals(AesGcm.AUTHENTICATION_FAILED)) {
                throw new BarrierException("sealed value failed authentication (tampered, moved or wrong key)");
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "Barrier[AES-256-GCM]";
    }
}
