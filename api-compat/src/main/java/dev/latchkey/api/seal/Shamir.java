package dev.latchkey.api.seal;

import dev.latchkey.engine.random.Randomness;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Shamir's secret sharing exactly as Vault does it ({@code shamir/shamir.go}): over GF(2^8) with
 * the AES polynomial x^8 + x^4 + x^3 + x + 1, each secret byte the constant term of its own random
 * polynomial of degree {@code threshold - 1}, and each share the polynomial values for every byte in
 * order followed by <em>one</em> byte, the share's x coordinate. The x coordinates of one split are
 * distinct and non-zero (a random permutation of 1..255). Shares Vault's tooling produced combine
 * here and the other way round; the error texts are Vault's.
 */
public final class Shamir {
    /** A share is this many bytes longer than the secret: its x coordinate. */
    public static final int SHARE_OVERHEAD = 1;

    /** The coefficients and x coordinates a split draws; tests replay Vault's with fixed ones. */
    interface Draws {
        /** The {@code count} random coefficients (degree 1 upwards) of one byte's polynomial. */
        byte[] coefficients(int count);

        /** The x coordinates of {@code parts} shares: distinct, 1..255. */
        int[] xCoordinates(int parts);
    }

    private static final Draws RANDOM = new Draws() {
        @Override
        public byte[] coefficients(int count) {
            return Randomness.bytes(count);
        }

        @Override
        public int[] xCoordinates(int parts) {
            int[] perm = new int[255];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i + 1;
            }
            SecureRandom random = Randomness.current();
            for (int i = perm.length - 1; i > 0; i--) { // Fisher-Yates
                int j = random.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            return Arrays.copyOf(perm, parts);
        }
    };

    private Shamir() {
    }

    /**
     * Splits {@code secret} into {@code parts} shares, any {@code threshold} of which recombine it.
     *
     * @throws IllegalArgumentException with Vault's text for parts or threshold out of range, or an
     *                                  empty secret
     */
    public static List<byte[]> split(byte[] secret, int parts, int threshold) {
        return split(secret, parts, threshold, RANDOM);
    }

    static List<byte[]> split(byte[] secret, int parts, int threshold, Draws draws) {
        if (parts < threshold) {
            throw new IllegalArgumentException("parts cannot be less than threshold");
        }
        if (parts > 255) {
            throw new IllegalArgumentException("parts cannot exceed 255");
        }
        if (threshold < 2) {
            throw new IllegalArgumentException("threshold must be at least 2");
        }
        if (threshold > 255) {
            throw new IllegalArgumentException("threshold cannot exceed 255");
        }
        if (secret.length == 0) {
            throw new IllegalArgumentException("cannot split an empty secret");
        }
        int[] xs = draws.xCoordinates(parts);
        byte[][] out = new byte[parts][secret.length + SHARE_OVERHEAD];
        for (int i = 0; i < parts; i++) {
            out[i][secret.length] = (byte) xs[i];
        }
        byte[] coefficients = new byte[threshold];
        for (int b = 0; b < secret.length; b++) {
            coefficients[0] = secret[b];
            byte[] drawn = draws.coefficients(threshold - 1);
            System.arraycopy(drawn, 0, coefficients, 1, threshold - 1);
            Arrays.fill(drawn, (byte) 0);
            for (int i = 0; i < parts; i++) {
                out[i][b] = (byte) evaluate(coefficients, xs[i]);
            }
        }
        Arrays.fill(coefficients, (byte) 0);
        return List.of(out);
    }

    /**
     * Recombines a secret from shares (at least the threshold of one split).
     *
     * @throws IllegalArgumentException with Vault's text: fewer than two shares, shares shorter than
     *                                  two bytes or of different lengths, two shares with one x
     */
    public static byte[] combine(List<byte[]> parts) {
        if (parts.size() < 2) {
            throw new IllegalArgumentException("less than two parts cannot be used to reconstruct the secret");
        }
        int length = parts.get(0).length;
        if (length < 2) {
            throw new IllegalArgumentException("parts must be at least two bytes");
        }
        for (int i = 1; i < parts.size(); i++) {
            if (parts.get(i).length != length) {
                throw new IllegalArgumentException("all parts must be the same length");
            }
        }
        int[] xs = new int[parts.size()];
        boolean[] seen = new boolean[256];
        for (int i = 0; i < parts.size(); i++) {
            int x = parts.get(i)[length - 1] & 0xff;
            if (seen[x]) {
                throw new IllegalArgumentException("duplicate part detected");
            }
            seen[x] = true;
            xs[i] = x;
        }
        byte[] secret = new byte[length - 1];
        int[] ys = new int[parts.size()];
        for (int b = 0; b < secret.length; b++) {
            for (int i = 0; i < parts.size(); i++) {
                ys[i] = parts.get(i)[b] & 0xff;
            }
            secret[b] = (byte) interpolateAtZero(xs, ys);
        }
        Arrays.fill(ys, 0);
        return secret;
    }

    /** Horner's rule, as Vault evaluates; x = 0 is the intercept. */
    private static int evaluate(byte[] coefficients, int x) {
        if (x == 0) {
            return coefficients[0] & 0xff;
        }
        int out = coefficients[coefficients.length - 1] & 0xff;
        for (int i = coefficients.length - 2; i >= 0; i--) {
            out = add(mult(out, x), coefficients[i] & 0xff);
        }
        return out;
    }

    /** Lagrange interpolation of the samples, evaluated at 0. */
    private static int interpolateAtZero(int[] xs, int[] ys) {
        int result = 0;
        for (int i = 0; i < xs.length; i++) {
            int basis = 1;
            for (int j = 0; j < xs.length; j++) {
                if (i == j) {
                    continue;
                }
                int num = add(0, xs[j]);
                int denom = add(xs[i], xs[j]);
                basis = mult(basis, div(num, denom));
            }
            result = add(result, mult(ys[i], basis));
        }
        return result;
    }

    /** Addition (and subtraction) in GF(2^8). */
    static int add(int a, int b) {
        return a ^ b;
    }

    /**
     * Multiplication in GF(2^8) modulo 0x11B, without data-dependent branches: Vault's
     * {@code r = (-(b >> i & 1) & a) ^ (-(r >> 7) & 0x1B) ^ (r + r)} over the bits of b.
     */
    static int mult(int a, int b) {
        int r = 0;
        for (int i = 7; i >= 0; i--) {
            r = ((-((b >> i) & 1) & a) ^ (-(r >> 7) & 0x1B) ^ (r << 1)) & 0xff;
        }
        return r;
    }

    /** The multiplicative inverse, a^254, by Vault's chain of squarings and products. */
    static int inverse(int a) {
        int b = mult(a, a);
        int c = mult(a, b);
        b = mult(c, c);
        b = mult(b, b);
        c = mult(b, c);
        b = mult(b, b);
        b = mult(b, b);
        b = mult(b, c);
        b = mult(b, b);
        b = mult(a, b);
        return mult(b, b);
    }

    static int div(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("divide by zero");
        }
        int ret = mult(a, inverse(b));
        return a == 0 ? 0 : ret;
    }
}
