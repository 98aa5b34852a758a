package dev.latchkey.engine.ssh.role;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.storage.StoredFields;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A dynamic role's host-key rule: the mode and, for {@link HostKeyMode#PINNED}, the accepted
 * fingerprints ({@code SHA256:<unpadded base64>}, as {@code ssh-keygen -l} prints them).
 */
public record HostKeyPolicy(HostKeyMode mode, List<String> fingerprints) {
    public static final HostKeyPolicy DEFAULT = new HostKeyPolicy(HostKeyMode.TRUST_ON_FIRST_USE, List.of());

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
        HostKeyMode mode;
        if (modeText.isEmpty()) {
            mode = fingerprints.isEmpty() ? HostKeyMode.TRUST_ON_FIRST_USE : HostKeyMode.PINNED;
        } else {
            mode = HostKeyMode.parse(modeText).orElseThrow(() -> EngineException.user(
                    "invalid host_key_checking " + GoFormat.q(modeText)
                            + ": use trust_on_first_use, pinned or none"));
        }
        if (mode == HostKeyMode.PINNED && fingerprints.isEmpty()) {
            throw EngineException.user("host_key_checking=pinned needs host_key_fingerprints");
        }
        if (mode != HostKeyMode.PINNED && !fingerprints.isEmpty()) {
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
            throw EngineException.user("invalid host key fingerprint " + GoFormat.q(text)
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
        HostKeyMode mode = HostKeyMode.parse(StoredFields.text(m, "host_key_checking"))
                .orElse(HostKeyMode.TRUST_ON_FIRST_USE);
        return new HostKeyPolicy(mode, StoredFields.strings(m, "host_key_fingerprints"));
    }
}
