package dev.latchkey.engine.ssh.keys;

/**
 * The RSA modulus sizes this engine accepts and generates.
 *
 * <p>Vault sets no upper bound; Latchkey does, because an RSA key costs in proportion to its size
 * cubed before it is ever used: reading a public key runs Bouncy Castle's
 * {@code RSAKeyParameters.validate}, whose Miller-Rabin test proves the modulus composite
 * ({@code Primes.enhancedMRProbablePrimeTest}, some modular exponentiations of the full modulus),
 * which takes over a second for a 16384-bit key; generating one takes minutes. So sizes are
 * checked on the encoded modulus before any of that runs.
 */
public final class RsaKeySizes {
    /**
     * The largest RSA key accepted (signed, imported, registered, generated) unless a CA role's
     * {@code allowed_user_key_lengths} lists a larger RSA length.
     */
    public static final int DEFAULT_MAX_BITS = 8192;
    /** OpenSSH's own limit ({@code SSH_RSA_MAXIMUM_MODULUS_SIZE}): no role setting goes beyond it. */
    public static final int CEILING_BITS = 16384;
    /**
     * The smallest RSA key the CA itself is allowed: Vault refuses to generate a weaker one
     * ({@code refusing to generate weak rsa key}), and admin keys are held to the same rule.
     */
    public static final int MIN_BITS = 2048;

    private RsaKeySizes() {
    }

    /**
     * The size in bits of a positive big-endian magnitude as it was encoded (an mpint or a DER
     * INTEGER; leading zero bytes do not count), without turning it into a number.
     */
    static int encodedBits(byte[] magnitude) {
        int i = 0;
        while (i < magnitude.length && magnitude[i] == 0) {
            i++;
        }
        if (i == magnitude.length) {
            return 0;
        }
        return (magnitude.length - i - 1) * Byte.SIZE + (Integer.SIZE - Integer.numberOfLeadingZeros(magnitude[i] & 0xFF));
    }

    /**
     * Refuses an RSA key below {@link #MIN_BITS}, in the words Vault refuses to generate one with;
     * other key types pass (the CA allows every curve it can generate).
     */
    public static void requireStrength(SshPublicKey key) {
        if (key.keyType() == SshKeyType.RSA && key.bits() < MIN_BITS) {
            throw new SshKeyException("refusing weak " + key.type() + " key: " + key.bits() + " bits < " + MIN_BITS
                    + " bits");
        }
    }

    /** @throws KeyTooLargeException when {@code bits} exceeds {@code maxBits} */
    static void check(int bits, int maxBits) {
        if (bits > maxBits) {
            throw new KeyTooLargeException(bits, maxBits);
        }
    }

    /** An RSA key above the size allowed where it was offered. */
    public static final class KeyTooLargeException extends SshKeyException {
        private final int bits;
        private final int maxBits;

        KeyTooLargeException(int bits, int maxBits) {
            super("RSA key of " + bits + " bits exceeds the maximum of " + maxBits + " bits");
            this.bits = bits;
            this.maxBits = maxBits;
        }

        public int bits() {
            return bits;
        }

        public int maxBits() {
            return maxBits;
        }
    }
}
