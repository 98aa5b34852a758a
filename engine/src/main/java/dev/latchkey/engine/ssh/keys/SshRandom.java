package dev.latchkey.engine.ssh.keys;

import dev.latchkey.engine.random.Randomness;

import java.security.SecureRandom;

/** Randomness for keys, nonces and blinding: this thread's generator (see {@link Randomness}). */
final class SshRandom {
    private SshRandom() {
    }

    static SecureRandom get() {
        return Randomness.current();
    }

    static byte[] bytes(int n) {
        return Randomness.bytes(n);
    }
}
