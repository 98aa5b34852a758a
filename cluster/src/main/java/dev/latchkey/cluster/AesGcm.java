package dev.latchkey.cluster;

import dev.latchkey.engine.random.Randomness;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * AES-256-GCM in the layout of Vault's barrier ({@code vault/barrier_aes_gcm.go}, version 2):
 * {@code term(4, big-endian) || version(1) = 2 || nonce(12) || ciphertext || tag(16)}, with the
 * entry's path as associated data, so that a value copied under another path does not open. The
 * term names the key that sealed it, which is how a keyring with several terms finds the key.
 */
public final class AesGcm {
    public static final int KEY_BYTES = 32;
    static final byte VERSION = 2;
    static final int TERM_BYTES = 4;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    static final int OVERHEAD = TERM_BYTES + 1 + NONCE_BYTES + TAG_BITS / 8;
    /** What Go's {@code crypto/cipher} says when a tag does not verify; Vault's errors quote it. */
    public static final String AUTHENTICATION_FAILED = "cipher: message authentication failed";

    // Cipher is not thread-safe and getInstance is costly; one per thread keeps sealing lock-free.
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(AesGcm::newCipher);

    private AesGcm() {
    }

    /** The key as the JCE wants it; 32 bytes or an {@link IllegalArgumentException}. */
    public static SecretKey key(byte[] key32) {
        if (key32 == null || key32.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key must be 32 bytes");
        }
        return new SecretKeySpec(key32, "AES");
    }

    /** Seals {@code plaintext} under {@code key}, naming {@code term}, bound to {@code path}. */
    public static byte[] seal(SecretKey key, int term, String path, byte[] plaintext) {
        byte[] out = new byte[OVERHEAD + plaintext.length];
        out[0] = (byte) (term >>> 24);
        out[1] = (byte) (term >>> 16);
        out[2] = (byte) (term >>> 8);
        out[3] = (byte) term;
        out[TERM_BYTES] = VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        Randomness.current().nextBytes(nonce);
        System.arraycopy(nonce, 0, out, TERM_BYTES + 1, NONCE_BYTES);
        Cipher cipher = CIPHERS.get();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(path.getBytes(StandardCharsets.UTF_8));
            cipher.doFinal(plaintext, 0, plaintext.length, out, TERM_BYTES + 1 + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The term a sealed value names; checks only that the value is long enough to have one. */
    public static int term(byte[] sealed) {
        checkShape(sealed);
        return ((sealed[0] & 0xff) << 24) | ((sealed[1] & 0xff) << 16) | ((sealed[2] & 0xff) << 8) | (sealed[3] & 0xff);
    }

    /**
     * Opens a value sealed under {@code key} for {@code path}.
     *
     * @throws BarrierException when it is truncated, of another format, or fails authentication
     *                          (tampered, moved to another path, or sealed with another key); the
     *                          message of the last is {@link #AUTHENTICATION_FAILED}
     */
    public static byte[] open(SecretKey key, String path, byte[] sealed) {
        checkShape(sealed);
        if (sealed[TERM_BYTES] != VERSION) {
            throw new BarrierException("sealed value has unknown format version " + sealed[TERM_BYTES]);
        }
        Cipher cipher = CIPHERS.get();
        int body = TERM_BYTES + 1 + NONCE_BYTES;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, TERM_BYTES + 1, NONCE_BYTES));
            cipher.updateAAD(path.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, body, sealed.length - body);
        } catch (AEADBadTagException e) {
            // Deliberately no cause detail: nothing about the key or content belongs in logs.
            throw new BarrierException(AUTHENTICATION_FAILED);
        } catch (GeneralSecurityException e) {
            throw new BarrierException("opening sealed value failed: " + e.getClass().getSimpleName());
        }
    }

    private static void checkShape(byte[] sealed) {
        if (sealed == null || sealed.length < OVERHEAD) {
            throw new BarrierException("sealed value is truncated");
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }
}
