package dev.latchkey.api.seal;

import dev.latchkey.engine.storage.JsonValues;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seal's share configuration as Vault keeps it in {@code core/seal-config} (and, for seals with
 * recovery keys, {@code core/recovery-config}): the type, the number of shares and the threshold.
 */
record SealConfig(String type, int shares, int threshold) {
    byte[] encode() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        out.put("secret_shares", shares);
        out.put("secret_threshold", threshold);
        out.put("pgp_keys", null);
        out.put("nonce", "");
        out.put("backup", false);
        out.put("stored_shares", 1);
        return JsonValues.encode(out);
    }

    static SealConfig decode(byte[] json) {
        Map<String, Object> in = JsonValues.decode(json);
        return new SealConfig((String) in.get("type"), ((Number) in.get("secret_shares")).intValue(),
                ((Number) in.get("secret_threshold")).intValue());
    }

    /**
     * Vault's {@code SealConfig.Validate}: the first rule broken, or null. PGP keys are checked as
     * Vault checks them, up to parsing, which Latchkey does not do: it cannot encrypt shares with PGP.
     */
    static String validate(long shares, long threshold, List<String> pgpKeys) {
        if (shares < 1) {
            return "shares must be at least one";
        }
        if (threshold < 1) {
            return "threshold must be at least one";
        }
        if (shares > 1 && threshold == 1) {
            return "threshold must be greater than one for multiple shares";
        }
        if (shares > 255) {
            return "shares must be less than 256";
        }
        if (threshold > 255) {
            return "threshold must be less than 256";
        }
        if (threshold > shares) {
            return "threshold cannot be larger than shares";
        }
        if (!pgpKeys.isEmpty() && pgpKeys.size() != shares) {
            return "count mismatch between number of provided PGP keys and number of shares";
        }
        for (String key : pgpKeys) {
            try {
                GoBase64.decode(key);
            } catch (IllegalArgumentException e) {
                return "error decoding given PGP key: " + e.getMessage();
            }
            return "error parsing given PGP key: Latchkey does not encrypt key shares with PGP";
        }
        return null;
    }
}
