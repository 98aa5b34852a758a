package dev.latchkey.api.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sys/init}. A dev node is initialised when it starts, so a request to initialise it gets
 * Vault's checks of the seal parameters, in Vault's order, and then "already initialized".
 */
final class SysInit {
    private final BodyParser parser;

    SysInit(BodyParser parser) {
        this.parser = parser;
    }

    Reply answer(String method, Map<String, Object> query, byte[] body) {
        return switch (method) {
            case "GET" -> SysPaths.json(Map.of("initialized", true));
            case "PUT", "POST" -> initialise(GoJsonStruct.parse("InitRequest", body, parser));
            default -> SysPaths.methodNotAllowed();
        };
    }

    private static Reply initialise(GoJsonStruct request) {
        long shares = request.integer("secret_shares");
        long threshold = request.integer("secret_threshold");
        List<String> pgpKeys = request.strings("pgp_keys");
        List<String> recoveryFlags = new ArrayList<>();
        if (request.integer("recovery_shares") != 0) {
            recoveryFlags.add("recovery_shares");
        }
        if (request.integer("recovery_threshold") != 0) {
            recoveryFlags.add("recovery_threshold");
        }
        if (!request.strings("recovery_pgp_keys").isEmpty()) {
            recoveryFlags.add("recovery_pgp_keys");
        }
        // Go decodes every field before any check runs, so a field of the wrong type fails first.
        request.integer("stored_shares");
        request.string("root_token_pgp_key");
        if (!recoveryFlags.isEmpty()) {
            return Renderer.error(400, "parameters " + String.join(",", recoveryFlags)
                    + " not applicable to seal type shamir");
        }
        if (!pgpKeys.isEmpty() && pgpKeys.size() != shares) {
            return Renderer.error(400, "incorrect number of PGP keys");
        }
        String invalid = sealConfigError(shares, threshold);
        if (invalid != null) {
            return Renderer.error(400, "invalid seal configuration: " + invalid);
        }
        return Renderer.error(400, "Vault is already initialized");
    }

    /** Vault's Shamir seal configuration rules, first failure first. */
    private static String sealConfigError(long shares, long threshold) {
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
        return null;
    }
}
