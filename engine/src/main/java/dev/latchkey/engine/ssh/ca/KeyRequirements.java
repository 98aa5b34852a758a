package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshKeyType;

import java.util.List;
import java.util.Map;

/**
 * A role's {@code allowed_user_key_lengths} applied to a key class and size. Each class is looked
 * up under its short name, its SSH name and (for ECDSA) its curve name, as Vault does.
 */
final class KeyRequirements {
    /** Why a key is refused: the role lists no entry for its type, or none of the sizes listed. */
    enum Violation {
        TYPE,
        SIZE
    }

    private KeyRequirements() {
    }

    /** Throws {@code public_key failed to meet the key requirements: <reason>} when not allowed. */
    static void check(Map<String, List<Integer>> allowed, String keyClass, int bits) {
        Violation violation = violation(allowed, keyClass, bits);
        if (violation != null) {
            throw refusal(violation, keyClass, bits);
        }
    }

    /** Vault's words for a public key the role does not allow. */
    static EngineException refusal(Violation violation, String keyClass, int bits) {
        return EngineException.user("public_key failed to meet the key requirements: " + switch (violation) {
            case TYPE -> "key of type " + keyClass + " is not allowed";
            case SIZE -> "key is of an invalid size: " + bits;
        });
    }

    /**
     * The largest RSA key the role lets in: {@link RsaKeySizes#DEFAULT_MAX_BITS}, or a larger
     * length its {@code rsa} or {@code ssh-rsa} entry lists (up to {@link RsaKeySizes#CEILING_BITS}).
     * Vault has no maximum; this one keeps an unchecked 16384-bit key from costing seconds of CPU.
     */
    static int maxRsaBits(Map<String, List<Integer>> allowed) {
        int max = RsaKeySizes.DEFAULT_MAX_BITS;
        for (String name : names("rsa", 0)) {
            for (int bits : allowed.getOrDefault(name, List.of())) {
                max = Math.max(max, Math.min(bits, RsaKeySizes.CEILING_BITS));
            }
        }
        return max;
    }

    /** Why the key is not allowed, or null when it is (or the role sets no policy). */
    static Violation violation(Map<String, List<Integer>> allowed, String keyClass, int bits) {
        if (allowed.isEmpty()) {
            return null;
        }
        boolean consulted = false;
        for (String name : names(keyClass, bits)) {
            List<Integer> lengths = allowed.get(name);
            if (lengths == null) {
                continue;
            }
            consulted = true;
            boolean sizeFixedByName = name.startsWith("ecdsa-sha2-") || keyClass.equals("ed25519");
            if (sizeFixedByName || lengths.contains(bits)) {
                return null;
            }
        }
        return consulted ? Violation.SIZE : Violation.TYPE;
    }

    private static List<String> names(String keyClass, int bits) {
        return switch (keyClass) {
            case "rsa" -> List.of("rsa", SshKeyType.RSA.sshName());
            case "dsa" -> List.of("dsa", SshKeyType.DSA.sshName());
            case "ecdsa" -> List.of("ecdsa", "ec", "ecdsa-sha2-nistp" + bits);
            case "ed25519" -> List.of("ed25519", SshKeyType.ED25519.sshName());
            default -> List.of();
        };
    }
}
