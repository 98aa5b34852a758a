package dev.latchkey.cluster;

import dev.latchkey.engine.random.Randomness;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Seals values with AES-256-GCM before they leave the process (into Hazelcast, its backups and
 * any store behind it). The entry's key is the associated data, so a sealed value copied under
 * another key does not open.
 *
 * <p>Format: {@code version(1) || nonce(12) || ciphertext || tag(16)}.
 */
public final class Barrier {
    private static final byte VERSION = 1;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BITS / 8;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    // Cipher is not thread-safe and getInstance is costly; one per thread keeps sealing lock-free.
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(Barrier::newCipher);
    // Per-thread generators avoid contention on the shared NativePRNG lock.

    private final SecretKeySpec key;

    public Barrier(byte[] key32) {
        if (key32 == null || key32.length != KEY_BYTES) {
            throw new IllegalArgumentException("barrier key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key32, "AES");
    }

    /** A barrier with a fresh key that lives only in this process: dev mode and tests. */
    public static Barrier withRandomKey() {
        byte[] k = new byte[KEY_BYTES];
        Randomness.current().nextBytes(k);
        try {
            return new Barrier(k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    public byte[] seal(String entryKey, byte[] plaintext) {
        byte[] out = new byte[OVERHEAD + plaintext.length];
        out[0] = VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        Randomness.current().nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
        Cipher cipher = CIPHERS.get();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(entryKey));
            cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    public byte[] open(String entryKey, byte[] sealed) {
        if (sealed == null || sealed.length < OVERHEAD) {
            throw new BarrierException("sealed value is truncated");
        }
        if (sealed[0] != VERSION) {
            throw new BarrierException("sealed value has unknown format version " + sealed[0]);
        }
        Cipher cipher = CIPHERS.get();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(aad(entryKey));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            // Deliberately no cause detail: nothing about the key or content belongs in logs.
            throw new BarrierException("sealed value failed authentication (tampered, moved or wrong key)");
        } catch (GeneralSecurityException e) {
            throw new BarrierException("opening sealed value failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "Barrier[AES-256-GCM]";
    }

    private static byte[] aad(String entryKey) {
        return entryKey.getBytes(StandardCharsets.UTF_8);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }
}
