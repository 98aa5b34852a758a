package dev.latchkey.api.sys;

import dev.latchkey.api.acl.Acl;
import dev.latchkey.api.identity.TokenAcls;
import dev.latchkey.api.mount.MountEntry;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.api.token.TokenEntry;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sys/internal/ui/mounts}: the mounts a caller may see. The {@code vault} CLI reads
 * {@code sys/internal/ui/mounts/<path>} before {@code vault kv} and similar commands to learn which
 * mount a path is in. A token sees every mount its policies grant anything on, at the mount or
 * below it; without a token only mounts tuned to {@code listing_visibility=unauth} are listed, in
 * brief. Relative to the {@code sys/} mount.
 */
final class UiMountsPath {
    private final MountTable mounts;
    private final TokenStore tokens;
    private final TokenAcls acls;
    private final String version;

    UiMountsPath(MountTable mounts, TokenStore tokens, TokenAcls acls, String version) {
        this.mounts = mounts;
        this.tokens = tokens;
        this.acls = acls;
        this.version = version;
    }

    List<PathSpec> specs() {
        return List.of(
                PathSpec.path("internal/ui/mounts/?").unauthenticated().on(Operation.READ, this::list),
                PathSpec.path("internal/ui/mounts/(?<path>.+)").capture("path", "path").unauthenticated()
                        .on(Operation.READ, this::one));
    }

    private Response list(Request r, Fields f) {
        Acl acl = r.clientToken().isEmpty() ? null : acl(r.clientToken());
        Map<String, Object> secret = new LinkedHashMap<>();
        for (MountEntry e : mounts.listed()) {
            if (visible(e, e.path(), acl)) {
                secret.put(e.path(), acl == null ? brief(e) : e.describe(version));
            }
        }
        Map<String, Object> auth = new LinkedHashMap<>();
        for (MountEntry e : mounts.authMounts()) {
            if (visible(e, e.path(), acl)) {
                auth.put(e.path().substring("auth/".length()), acl == null ? brief(e) : e.describe(version));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("secret", secret);
        data.put("auth", auth);
        return Response.of(data);
    }

    private Response one(Request r, Fields f) {
        String path = f.string("path");
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (!path.endsWith("/")) {
            path += "/";
        }
        if (r.clientToken().isEmpty()) {
            throw EngineException.permissionDenied();
        }
        Acl acl = acl(r.clientToken());
        EngineException refused = EngineException.forbidden("preflight capability check returned 403, please "
                + "ensure client's policies grant access to path " + GoFormat.q(path));
        // An unknown mount gets the same refusal, so this path cannot be used to find out which exist.
        MountTable.Route route = mounts.route(path).orElseThrow(() -> refused);
        MountEntry mount = route.mount();
        if (!acl.grantsAnythingUnder(mount.path())) {
            throw refused;
        }
        Map<String, Object> data = new LinkedHashMap<>(mount.describe(version));
        data.put("path", mount.path().startsWith("auth/") ? mount.path().substring("auth/".length()) : mount.path());
        return Response.of(data);
    }

    private Acl acl(String token) {
        TokenEntry entry = tokens.lookup(token).map(TokenStore.Resolved::entry)
                .orElseThrow(EngineException::permissionDenied);
        return acls.acl(entry);
    }

    private static boolean visible(MountEntry e, String aclPath, Acl acl) {
        if (e.config().listingVisibility().equals("unauth")) {
            return true;
        }
        return acl != null && acl.grantsAnythingUnder(aclPath);
    }

    private static Map<String, Object> brief(MountEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type());
        m.put("description", e.description());
        m.put("options", e.options());
        return m;
    }
}
