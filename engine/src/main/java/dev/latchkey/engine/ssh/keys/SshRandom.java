package dev.latchkey.engine.ssh.keys;

import java.security.SecureRandom;

/** One shared, thread-safe source of randomness for keys, nonces and blinding. */
final class SshRandom {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SshRandom() {
    }

    static SecureRandom get() {
        return RANDOM;
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
