package dev.latchkey.engine.ssh.keys;

import dev.latchkey.engine.framework.Cancellation;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.random.Randomness;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * Key-pair generation with Vault's {@code key_type}/{@code key_bits} rules, as {@code config/ca}
 * and {@code issue} apply them.
 * RSA generation takes from a tenth of a second to several seconds (4096 bits): call it off any
 * event loop.
 */
public final class SshKeyGenerator {
    private static final int RSA_DEFAULT_BITS = 4096;
    /** The dynamic keys' floor: Vault 1.12 let their {@code key_bits} go down to 1024. */
    private static final int DYNAMIC_RSA_MIN_BITS = 1024;

    private SshKeyGenerator() {
    }

    /** {@link #generate(String, int, int, Cancellation)} with RSA up to {@link RsaKeySizes#DEFAULT_MAX_BITS}, never cancelled. */
    public static SshPrivateKey generate(String keyType, int keyBits) {
        return generate(keyType, keyBits, RsaKeySizes.DEFAULT_MAX_BITS, Cancellation.NEVER);
    }

    /** {@link #generate(String, int, int, Cancellation)}, never cancelled. */
    public static SshPrivateKey generate(String keyType, int keyBits, int maxRsaBits) {
        return generate(keyType, keyBits, maxRsaBits, Cancellation.NEVER);
    }

    /**
     * Generates a key pair; the result's {@link SshPrivateKey#toPem()} is Vault's stored and
     * returned private-key format.
     *
     * @param keyType {@code ssh-rsa}/{@code rsa}, {@code ec}, {@code ecdsa-sha2-nistp256/384/521},
     *                {@code ssh-ed25519}/{@code ed25519}
     * @param keyBits RSA size (0 → 4096) or, with {@code ec}, the curve (0/256, 384, 521);
     *                ignored otherwise
     * @param maxRsaBits the largest RSA size allowed here (at most {@link RsaKeySizes#CEILING_BITS})
     * @param cancellation RSA generation stops once the client has gone
     * @throws SshKeyException with Vault's texts for unknown types and refused sizes
     * @throws EngineException {@link EngineException.Kind#CANCELLED} when the client went away meanwhile
     */
    public static SshPrivateKey generate(String keyType, int keyBits, int maxRsaBits, Cancellation cancellation) {
        return switch (keyType == null ? "" : keyType) {
            case "ssh-rsa", "rsa" -> rsa(keyType, keyBits == 0 ? RSA_DEFAULT_BITS : keyBits,
                    Math.min(maxRsaBits, RsaKeySizes.CEILING_BITS), cancellation);
            case "ecdsa-sha2-nistp256" -> ec(NistCurve.P256);
            case "ecdsa-sha2-nistp384" -> ec(NistCurve.P384);
            case "ecdsa-sha2-nistp521" -> ec(NistCurve.P521);
            case "ec" -> ec(switch (keyBits) {
                case 0, 256 -> NistCurve.P256;
                case 384 -> NistCurve.P384;
                case 521 -> NistCurve.P521;
                default -> throw new SshKeyException(
                        "unknown ECDSA key pair algorithm and bits: " + keyType + " / " + keyBits);
            });
            case "ssh-ed25519", "ed25519" -> SshPrivateKey.ed25519(Randomness.bytes(32));
            default -> throw new SshKeyException("unknown ssh key pair algorithm: " + keyType);
        };
    }

    /** Vault's floor and its message; Vault has no ceiling, Latchkey words its own after the floor's. */
    private static SshPrivateKey rsa(String keyType, int bits, int maxBits, Cancellation cancellation) {
        if (bits < RsaKeySizes.MIN_BITS) {
            throw new SshKeyException("refusing to generate weak " + keyType + " key: " + bits + " bits < "
                    + RsaKeySizes.MIN_BITS + " bits");
        }
        if (bits > maxBits) {
            throw new SshKeyException("refusing to generate " + keyType + " key: " + bits
                    + " bits > " + maxBits + " bits");
        }
        return rsaOfSize(bits, cancellation);
    }

    /**
     * An RSA key of exactly {@code bits} (1024 to {@link RsaKeySizes#DEFAULT_MAX_BITS}) for a
     * dynamic role, whose {@code key_bits} Vault 1.12 let go down to 1024; the role write has
     * already limited the sizes.
     */
    public static SshPrivateKey dynamicRsa(int bits, Cancellation cancellation) {
        if (bits < DYNAMIC_RSA_MIN_BITS || bits > RsaKeySizes.DEFAULT_MAX_BITS) {
            throw new SshKeyException("RSA key size must be between " + DYNAMIC_RSA_MIN_BITS + " and "
                    + RsaKeySizes.DEFAULT_MAX_BITS + " bits, not " + bits);
        }
        return rsaOfSize(bits, cancellation);
    }

    /**
     * The JDK's generator searches for each prime by testing candidates, and every Miller-Rabin
     * round of every candidate draws fresh random bits: a source that checks the cancellation on
     * each draw stops an 8192-bit generation within milliseconds of the client leaving, where the
     * generation itself offers no way to stop it.
     */
    private static SshPrivateKey rsaOfSize(int bits, Cancellation cancellation) {
        cancellation.check();
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4),
                    cancellation == Cancellation.NEVER ? Randomness.current()
                            : new CancellableRandom(Randomness.current(), cancellation));
            RSAPrivateCrtKey k = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
            return SshPrivateKey.rsa(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                    k.getPrimeP(), k.getPrimeQ(), k.getCrtCoefficient(), RsaKeySizes.CEILING_BITS);
        } catch (GeneralSecurityException e) {
            throw new SshKeyException("RSA key generation failed", e);
        } catch (RuntimeException e) {
            // a provider may wrap what the random source threw
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof EngineException cancelled && cancelled.kind() == EngineException.Kind.CANCELLED) {
                    throw cancelled;
                }
            }
            throw e;
        }
    }

    /** A uniform scalar in [1, n-1]; the public point is derived by {@link SshPrivateKey#ec}. */
    private static SshPrivateKey ec(NistCurve curve) {
        BigInteger n = curve.domain().getN();
        BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), Randomness.current());
        return SshPrivateKey.ec(curve, d);
    }
}
