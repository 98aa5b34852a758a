package dev.latchkey.api.http;

import dev.latchkey.api.core.SystemInfo;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sys/seal-status} and {@code sys/unseal}. A dev node starts unsealed with one key share,
 * so unsealing it checks the request as Vault does and answers the (unsealed) status.
 */
final class SysSeal {
    private static final int MIN_KEY_BYTES = 16;
    private static final int MAX_KEY_BYTES = 33;

    private final SystemInfo info;
    private final BodyParser parser;

    SysSeal(SystemInfo info, BodyParser parser) {
        this.info = info;
        this.parser = parser;
    }

    Reply status(String method, Map<String, Object> query, byte[] body) {
        return method.equals("GET") ? SysPaths.json(status()) : SysPaths.methodNotAllowed();
    }

    /**
     * The checks Vault makes before it looks at the barrier, in its order: a reset, a key, a key
     * that decodes, a key of a share's length. Vault checks the length even when already unsealed,
     * and then answers the status without trying the key.
     */
    Reply unseal(String method, Map<String, Object> query, byte[] body) {
        if (!method.equals("PUT") && !method.equals("POST")) {
            return SysPaths.methodNotAllowed();
        }
        GoJsonStruct request = GoJsonStruct.parse("UnsealRequest", body, parser);
        if (request.bool("reset")) {
            return Renderer.error(400, "vault is unsealed");
        }
        String key = request.string("key");
        if (key.isEmpty()) {
            return Renderer.error(400, "'key' must be specified in request body as JSON, or 'reset' set to true");
        }
        byte[] share = decodeKey(key);
        if (share == null) {
            return Renderer.error(400, "'key' must be a valid hex or base64 string");
        }
        if (share.length < MIN_KEY_BYTES) {
            return Renderer.error(400, "invalid key: key is shorter than minimum " + MIN_KEY_BYTES + " bytes");
        }
        if (share.length > MAX_KEY_BYTES) {
            return Renderer.error(400, "invalid key: key is longer than maximum " + MAX_KEY_BYTES + " bytes");
        }
        return SysPaths.json(status());
    }

    /** Hex when it decodes to a share's length, else standard (padded) base64; null when neither. */
    private static byte[] decodeKey(String key) {
        try {
            byte[] hex = HexFormat.of().parseHex(key);
            if (hex.length >= MIN_KEY_BYTES && hex.length <= MAX_KEY_BYTES) {
                return hex;
            }
        } catch (IllegalArgumentException notHex) {
            // tried as base64 below
        }
        if (key.length() % 4 != 0) {
            return null; // Go's standard encoding insists on padding; Java's decoder would not
        }
        try {
            return Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "shamir");
        out.put("initialized", true);
        out.put("sealed", false);
        out.put("t", 1);
        out.put("n", 1);
        out.put("progress", 0);
        out.put("nonce", "");
        out.put("version", info.version());
        out.put("build_date", info.buildDate());
        out.put("migration", false);
        out.put("cluster_name", info.clusterName());
        out.put("cluster_id", info.clusterId());
        out.put("recovery_seal", false);
        out.put("storage_type", info.storageType());
        out.put("removed_from_cluster", false);
        return out;
    }
}
