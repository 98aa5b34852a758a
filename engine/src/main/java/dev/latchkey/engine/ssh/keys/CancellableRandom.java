package dev.latchkey.engine.ssh.keys;

import dev.latchkey.engine.framework.Cancellation;

import java.security.SecureRandom;

/**
 * A strong random source that asks a {@link Cancellation} before every draw, so that a long
 * computation consuming it (RSA prime search) stops soon after its client has gone. The bits come
 * from the wrapped source unchanged.
 */
final class CancellableRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    private final transient SecureRandom source;
    private final transient Cancellation cancellation;

    CancellableRandom(SecureRandom source, Cancellation cancellation) {
        super(new byte[0]); // never used for output: every draw below goes to the source
        this.source = source;
        this.cancellation = cancellation;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        cancellation.check();
        source.nextBytes(bytes);
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        cancellation.check();
        return source.generateSeed(numBytes);
    }

    @Override
    public void setSeed(long seed) {
        // the constructor of Random calls this before the fields are set; seeding the wrapped
        // strong source from outside is never wanted
    }

    @Override
    public void setSeed(byte[] seed) {
    }
}
