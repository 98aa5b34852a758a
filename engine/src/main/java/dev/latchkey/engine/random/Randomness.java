package dev.latchkey.engine.random;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Cryptographic randomness for OTPs, tokens, lease IDs, serials, nonces and keys: one DRBG per thread.
 * A single shared {@code SecureRandom} is a lock that every request would queue on (the default
 * NativePRNG even shares one lock across all its instances).
 */
public final class Randomness {
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final ThreadLocal<SecureRandom> PER_THREAD = ThreadLocal.withInitial(Randomness::create);

    private Randomness() {
    }

    /** This thread's generator; do not hand it to other threads. */
    public static SecureRandom current() {
        return PER_THREAD.get();
    }

    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        current().nextBytes(b);
        return b;
    }

    /**
     * Uniform base62 text, as Vault's tokens, accessors and lease IDs use (rejection sampling, so no
     * character is favoured).
     */
    public static String base62(int length) {
        char[] out = new char[length];
        byte[] buf = new byte[length * 2];
        int filled = 0;
        while (filled < length) {
            current().nextBytes(buf);
            for (int i = 0; i < buf.length && filled < length; i++) {
                int v = buf[i] & 0xff;
                if (v < 248) {
                    out[filled++] = BASE62[v % 62];
                }
            }
        }
        return new String(out);
    }

    private static SecureRandom create() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // every JDK since 9 has DRBG; keep working regardless
        }
    }
}
