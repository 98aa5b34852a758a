package dev.latchkey.api.hostile;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * OpenSSH {@code ssh-rsa} public key lines of any size without generating a key pair: e = 65537
 * and a random odd modulus of exactly the requested bits. The modulus has no prime factor below
 * 2000, so a server cannot refuse it by a cheap trial division: whatever it checks beyond the size
 * costs it big-number arithmetic, which is what the attack measures.
 */
final class SshRsaKeys {
    private static final BigInteger SMALL_PRIMES = smallPrimesProduct(2000);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SshRsaKeys() {
    }

    /** {@code ssh-rsa AAAA... hostile-load}. */
    static String publicKeyLine(int bits) {
        BigInteger n;
        do {
            n = new BigInteger(bits, RANDOM).setBit(bits - 1).setBit(0);
        } while (!n.gcd(SMALL_PRIMES).equals(BigInteger.ONE));
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        string(blob, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
        string(blob, BigInteger.valueOf(65537).toByteArray());
        string(blob, n.toByteArray());
        return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " hostile-load";
    }

    /** An SSH wire string (a mpint is the same with two's-complement bytes). */
    private static void string(ByteArrayOutputStream out, byte[] bytes) {
        int n = bytes.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(bytes);
    }

    private static BigInteger smallPrimesProduct(int below) {
        BigInteger p = BigInteger.ONE;
        for (int i = 3; i < below; i += 2) {
            if (BigInteger.valueOf(i).isProbablePrime(50)) {
                p = p.multiply(BigInteger.valueOf(i));
            }
        }
        return p;
    }
}
