package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.GoQuote;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.storage.StoredFields;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A dynamic role's host-key rule: the mode and, for {@link HostKeyChecking#PINNED}, the accepted
 * fingerprints ({@code SHA256:<unpadded base64>}, as {@code ssh-keygen -l} prints them).
 */
public record HostKeyPolicy(HostKeyChecking mode, List<String> fingerprints) {
    private static final Logger LOG = Logger.getLogger(HostKeyPolicy.class.getName());
    public static final HostKeyPolicy DEFAULT = new HostKeyPolicy(HostKeyChecking.TRUST_ON_FIRST_USE, List.of());

    public HostKeyPolicy {
        fingerprints = List.copyOf(fingerprints);
    }

    /**
     * From a role write: fingerprints imply {@code pinned}; an explicit mode must agree with them.
     * An empty mode means "the default for what was given".
     */
    public static HostKeyPolicy fromRequest(String modeText, List<String> fingerprintTexts) {
        List<String> fingerprints = new ArrayList<>();
        for (String text : fingerprintTexts) {
            String fp = normaliseFingerprint(text.strip());
            if (!fingerprints.contains(fp)) {
                fingerprints.add(fp);
            }
        }
        HostKeyChecking mode;
        if (modeText.isEmpty()) {
            mode = fingerprints.isEmpty() ? HostKeyChecking.TRUST_ON_FIRST_USE : HostKeyChecking.PINNED;
        } else {
            mode = HostKeyChecking.parse(modeText).orElseThrow(() -> EngineException.user(
                    "invalid host_key_checking " + GoQuote.q(modeText)
                            + ": use trust_on_first_use, pinned or none"));
        }
        if (mode == HostKeyChecking.PINNED && fingerprints.isEmpty()) {
            throw EngineException.user("host_key_checking=pinned needs host_key_fingerprints");
        }
        if (mode != HostKeyChecking.PINNED && !fingerprints.isEmpty()) {
            throw EngineException.user("host_key_fingerprints are only used with host_key_checking=pinned, not "
                    + mode.wire());
        }
        return new HostKeyPolicy(mode, fingerprints);
    }

    /** {@code SHA256:abc...} or the bare base64; padding tolerated. Must be a 32-byte digest. */
    static String normaliseFingerprint(String text) {
        String b64 = text.startsWith("SHA256:") ? text.substring("SHA256:".length()) : text;
        while (b64.endsWith("=")) {
            b64 = b64.substring(0, b64.length() - 1);
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(b64 + "=".repeat((4 - b64.length() % 4) % 4));
        } catch (IllegalArgumentException e) {
            digest = new byte[0];
        }
        if (digest.length != 32) {
            throw EngineException.user("invalid host key fingerprint " + GoQuote.q(text)
                    + ": expected SHA256:<base64> as ssh-keygen -l prints it");
        }
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    }

    /** Stores the policy in a role or lease record. */
    public void writeTo(Map<String, Object> m) {
        m.put("host_key_checking", mode.wire());
        m.put("host_key_fingerprints", fingerprints);
    }

    /** Reads what {@link #writeTo} stored; records from before these fields existed read as the default. */
    public static HostKeyPolicy readFrom(Map<String, Object> m) {
        HostKeyChecking mode = HostKeyChecking.parse(StoredFields.text(m, "host_key_checking"))
                .orElse(HostKeyChecking.TRUST_ON_FIRST_USE);
        return new HostKeyPolicy(mode, StoredFields.strings(m, "host_key_fingerprints"));
    }

    /** The check for one connection under this policy. */
    public HostKeyCheck check(KnownHostStore knownHosts) {
        return switch (mode) {
            case NONE -> (address, key) -> LOG.log(Level.WARNING,
                    "host key of {0} not verified (host_key_checking=none): {1}", new Object[] {address, key});
            case PINNED -> (address, key) -> {
                if (!fingerprints.contains(key.sha256Fingerprint())) {
                    throw new HostKeyRejectedException("the host presented " + describe(key)
                            + ", which is not among the role's host_key_fingerprints");
                }
            };
            case TRUST_ON_FIRST_USE -> knownHosts::trust;
        };
    }

    static String describe(SshPublicKey key) {
        return key.type() + " key " + key.sha256Fingerprint();
    }
}
