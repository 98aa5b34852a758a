package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.ssh.keys.SshKeyType;

import java.util.List;
import java.util.Map;

/** A role's {@code allowed_user_key_lengths} applied to a key class and size (spec §3.10.6). */
final class KeyRequirements {
    private KeyRequirements() {
    }

    /** Throws {@code public_key failed to meet the key requirements: <reason>} when not allowed. */
    static void check(Map<String, List<Integer>> allowed, String keyClass, int bits) {
        String reason = violation(allowed, keyClass, bits);
        if (reason != null) {
            throw EngineException.user("public_key failed to meet the key requirements: " + reason);
        }
    }

    /** Why the key is not allowed, or null when it is (or the role sets no policy). */
    static String violation(Map<String, List<Integer>> allowed, String keyClass, int bits) {
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
        return consulted ? "key is of an invalid size: " + bits : "key of type " + keyClass + " is not allowed";
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
