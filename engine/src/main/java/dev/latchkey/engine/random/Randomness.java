package dev.latchkey.engine.random;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Cryptographic randomness for OTPs, lease IDs, serials, nonces and keys: one DRBG per thread.
 * A single shared {@code SecureRandom} is a lock that every request would queue on (the default
 * NativePRNG even shares one lock across all its instances).
 */
public final class Randomness {
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

    private static SecureRandom create() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // every JDK since 9 has DRBG; keep working regardless
        }
    }
}
