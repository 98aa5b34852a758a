package dev.latchkey.api.sys;

import dev.latchkey.api.acl.Acl;
import dev.latchkey.api.identity.TokenAcls;
import dev.latchkey.api.token.TokenEntry;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sys/capabilities}, {@code sys/capabilities-self} and {@code sys/capabilities-accessor}:
 * what a token's policies grant on each of some paths, as the {@code vault token capabilities}
 * command and UIs ask it. Relative to the {@code sys/} mount.
 */
final class CapabilitiesPath {
    private final TokenStore tokens;
    private final TokenAcls acls;

    CapabilitiesPath(TokenStore tokens, TokenAcls acls) {
        this.tokens = tokens;
        this.acls = acls;
    }

    List<PathSpec> specs() {
        return List.of(
                fields(PathSpec.path("capabilities")).field("token", FieldType.STRING)
                        .on(Operation.UPDATE, (r, f) -> of(f.string("token"), f, true)),
                fields(PathSpec.path("capabilities-self"))
                        .on(Operation.UPDATE, (r, f) -> of(r.clientToken(), f, false)),
                fields(PathSpec.path("capabilities-accessor")).field("accessor", FieldType.STRING)
                        .on(Operation.UPDATE, this::ofAccessor));
    }

    private static PathSpec fields(PathSpec p) {
        return p.field("paths", FieldType.COMMA_STRING_SLICE).field("path", FieldType.COMMA_STRING_SLICE);
    }

    private Response ofAccessor(Request r, Fields f) {
        String accessor = f.string("accessor");
        if (accessor.isEmpty()) {
            throw EngineException.user("missing accessor");
        }
        TokenEntry entry = tokens.lookupByAccessor(accessor).map(TokenStore.Resolved::entry)
                .orElseThrow(() -> EngineException.user("invalid accessor"));
        return answer(entry, paths(f));
    }

    /**
     * @param otherToken whether the token was named in the body: an unknown one is then the
     *                   caller's mistake, a 400 {@code invalid token}
     */
    private Response of(String token, Fields f, boolean otherToken) {
        if (token.isEmpty()) {
            // Vault answers this with a 500; it is the caller's omission
            throw EngineException.user("no token found");
        }
        List<String> paths = paths(f);
        Optional<TokenStore.Resolved> resolved = tokens.lookup(token);
        if (resolved.isEmpty()) {
            throw otherToken ? EngineException.user("invalid token") : EngineException.invalidToken();
        }
        return answer(resolved.get().entry(), paths);
    }

    private static List<String> paths(Fields f) {
        List<String> paths = f.strings("paths");
        if (paths.isEmpty()) {
            paths = f.strings("path"); // the field older clients (and Go's Sys().Capabilities) send
        }
        if (paths.isEmpty()) {
            throw EngineException.user("paths must be supplied");
        }
        return paths;
    }

    private Response answer(TokenEntry entry, List<String> paths) {
        Acl acl = acls.acl(entry);
        Map<String, Object> data = new LinkedHashMap<>();
        for (String path : paths) {
            data.put(path, acl.capabilities(path));
        }
        if (paths.size() == 1) {
            data.put("capabilities", data.get(paths.get(0))); // the single-path answer older clients read
        }
        return Response.of(data);
    }
}
