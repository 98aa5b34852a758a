package dev.latchkey.testing;

import dev.latchkey.engine.ssh.keys.SshWire;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Random;

/**
 * RSA keys of any size in a moment, for the size limits: a generated 16384-bit key takes minutes.
 * The public keys are valid as far as any parser can tell (an odd exponent, a composite modulus
 * of exactly the size asked, without small prime factors), but nobody holds their private half.
 * The private keys only have the right modulus size: nothing else in them is consistent, so they
 * serve to show that the size is refused before anything else is looked at.
 */
public final class OversizedRsa {
    private static final BigInteger E = BigInteger.valueOf(65537);
    /** The product of the odd primes below 1000, more than any parser's small-factor check looks at. */
    private static final BigInteger SMALL_PRIMES;

    static {
        BigInteger product = BigInteger.ONE;
        for (int p = 3; p < 1000; p += 2) {
            if (BigInteger.valueOf(p).isProbablePrime(30)) {
                product = product.multiply(BigInteger.valueOf(p));
            }
        }
        SMALL_PRIMES = product;
    }

    private OversizedRsa() {
    }

    /** {@code ssh-rsa <base64>} with a modulus of exactly {@code bits}. */
    public static String publicKeyLine(int bits) {
        return "ssh-rsa " + Base64.getEncoder().encodeToString(publicKeyBlob(bits));
    }

    public static byte[] publicKeyBlob(int bits) {
        return SshWire.writer().utf8("ssh-rsa").mpint(E).mpint(modulus(bits)).toByteArray();
    }

    /** A PKCS#1 {@code RSA PRIVATE KEY} PEM whose modulus has exactly {@code bits}; nothing else fits. */
    public static String privateKeyPem(int bits) {
        BigInteger n = modulus(bits);
        BigInteger half = BigInteger.ONE.shiftLeft(bits / 2).add(BigInteger.ONE);
        try {
            byte[] der = new RSAPrivateKey(n, E, half, half, half, half, half, half).getEncoded();
            return "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END RSA PRIVATE KEY-----\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** p * q for odd p and q of bits/2 and bits - bits/2 bits, top two bits set, free of small factors. */
    static BigInteger modulus(int bits) {
        Random random = new Random(bits);
        BigInteger n;
        do {
            n = factor(bits / 2, random).multiply(factor(bits - bits / 2, random));
        } while (n.bitLength() != bits);
        return n;
    }

    private static BigInteger factor(int bits, Random random) {
        BigInteger top = BigInteger.valueOf(3).shiftLeft(bits - 2);
        BigInteger f;
        do {
            f = new BigInteger(bits, random).or(top).setBit(0);
        } while (!f.gcd(SMALL_PRIMES).equals(BigInteger.ONE));
        return f;
    }
}
