package dev.latchkey.api.http;

import dev.latchkey.api.core.Dispatcher;
import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.api.seal.GoBase64;
import dev.latchkey.api.seal.SealCore;
import dev.latchkey.api.seal.SealStatus;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sys/seal-status}, {@code sys/unseal}, {@code sys/seal} and {@code sys/step-down}, as Vault's
 * {@code http/sys_seal.go} answers them: bare JSON, the first two without a token.
 */
final class SysSeal {
    private static final int MIN_KEY_BYTES = 16;
    private static final int MAX_KEY_BYTES = 33;

    private final SystemInfo info;
    private final BodyParser parser;
    private final SealCore core;
    private final Dispatcher dispatcher;

    SysSeal(SystemInfo info, BodyParser parser, SealCore core, Dispatcher dispatcher) {
        this.info = info;
        this.parser = parser;
        this.core = core;
        this.dispatcher = dispatcher;
    }

    Reply status(String method, Map<String, Object> query, byte[] body, String token) {
        return method.equals("GET") ? SysPaths.json(status(core.status())) : SysPaths.methodNotAllowed();
    }

    /**
     * Vault's order: a reset, a key, a key that decodes; then the core's checks (initialised, a
     * share's length, already unsealed) and the share itself.
     */
    Reply unseal(String method, Map<String, Object> query, byte[] body, String token) {
        if (!method.equals("PUT") && !method.equals("POST")) {
            return SysPaths.methodNotAllowed();
        }
        GoJsonStruct request = GoJsonStruct.parse("UnsealRequest", body, parser);
        boolean reset = request.bool("reset");
        boolean migrate = request.bool("migrate");
        String key = request.string("key");
        if (reset) {
            return SysPaths.json(status(core.resetUnseal()));
        }
        if (key.isEmpty()) {
            return Renderer.error(400, "'key' must be specified in request body as JSON, or 'reset' set to true");
        }
        byte[] share = decodeKey(key);
        if (share == null) {
            return Renderer.error(400, "'key' must be a valid hex or base64 string");
        }
        return SysPaths.json(status(core.unseal(share, migrate)));
    }

    /**
     * {@code PUT sys/seal}: a no-op on a sealed node (no token is even looked at); otherwise the token
     * needs {@code update} and {@code sudo} on {@code sys/seal}. Blocks (a token lookup): a worker runs it.
     */
    Reply seal(String method, Map<String, Object> query, byte[] body, String token) {
        return rootOperation(method, body, token, "sys/seal", core::seal);
    }

    /** {@code PUT sys/step-down}: nothing to step down from without HA; the token is checked as for sealing. */
    Reply stepDown(String method, Map<String, Object> query, byte[] body, String token) {
        return rootOperation(method, body, token, "sys/step-down", () -> { });
    }

    private Reply rootOperation(String method, byte[] body, String token, String path, Runnable action) {
        if (!method.equals("PUT") && !method.equals("POST")) {
            return SysPaths.methodNotAllowed();
        }
        if (body.length > 0) {
            parser.parse(body, "application/json"); // Vault parses the body first: a broken one is a 400
        }
        if (core.sealed()) {
            return new Reply(204, Renderer.JSON, null);
        }
        dispatcher.authoriseSudo(token, path);
        action.run();
        return new Reply(204, Renderer.JSON, null);
    }

    /** Hex when it decodes to a share's length, else standard (padded) base64 as Go decodes it; null when neither. */
    private static byte[] decodeKey(String key) {
        try {
            byte[] hex = HexFormat.of().parseHex(key);
            if (hex.length >= MIN_KEY_BYTES && hex.length <= MAX_KEY_BYTES) {
                return hex;
            }
        } catch (IllegalArgumentException notHex) {
            // tried as base64 below
        }
        try {
            return GoBase64.decode(key);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private Map<String, Object> status(SealStatus s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", s.type());
        out.put("initialized", s.initialized());
        out.put("sealed", s.sealed());
        out.put("t", s.threshold());
        out.put("n", s.shares());
        out.put("progress", s.progress());
        out.put("nonce", s.nonce());
        out.put("version", info.version());
        out.put("build_date", info.buildDate());
        out.put("migration", false);
        if (!s.sealed()) {
            out.put("cluster_name", info.clusterName());
            out.put("cluster_id", info.clusterId());
        }
        out.put("recovery_seal", s.recoverySeal());
        out.put("storage_type", info.storageType());
        out.put("removed_from_cluster", false);
        return out;
    }
}
