package dev.latchkey.api.http;

import dev.latchkey.api.seal.InitRequest;
import dev.latchkey.api.seal.InitResult;
import dev.latchkey.api.seal.SealCore;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sys/init}: whether the node is initialised (GET), and initialising it (PUT, POST), as
 * Vault's {@code http/sys_init.go}: the body decoded strictly into Vault's {@code InitRequest}, the
 * checks in Vault's order (in {@link SealCore#initialize}), and the keys handed out once, in hex and
 * in base64. Unauthenticated.
 */
final class SysInit {
    private final BodyParser parser;
    private final SealCore core;

    SysInit(BodyParser parser, SealCore core) {
        this.parser = parser;
        this.core = core;
    }

    Reply answer(String method, Map<String, Object> query, byte[] body, String token) {
        return switch (method) {
            case "GET" -> SysPaths.json(Map.of("initialized", core.initialized()));
            case "PUT", "POST" -> initialise(GoJsonStruct.parse("InitRequest", body, parser));
            default -> SysPaths.methodNotAllowed();
        };
    }

    private Reply initialise(GoJsonStruct request) {
        // Go decodes every field before any check runs, so a field of the wrong type fails first.
        InitRequest init = new InitRequest(request.integer("secret_shares"), request.integer("secret_threshold"),
                request.integer("stored_shares"), request.strings("pgp_keys"), request.integer("recovery_shares"),
                request.integer("recovery_threshold"), request.strings("recovery_pgp_keys"),
                request.string("root_token_pgp_key"));
        InitResult result = core.initialize(init);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keys", hex(result.keys()));
        out.put("keys_base64", base64(result.keys()));
        if (!result.recoveryKeys().isEmpty()) {
            out.put("recovery_keys", hex(result.recoveryKeys()));
            out.put("recovery_keys_base64", base64(result.recoveryKeys()));
        }
        out.put("root_token", result.rootToken());
        return SysPaths.json(out);
    }

    private static List<String> hex(List<byte[]> keys) {
        return keys.stream().map(HexFormat.of()::formatHex).toList();
    }

    private static List<String> base64(List<byte[]> keys) {
        return keys.stream().map(Base64.getEncoder()::encodeToString).toList();
    }
}
