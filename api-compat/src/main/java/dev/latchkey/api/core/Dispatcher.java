package dev.latchkey.api.core;

import dev.latchkey.api.acl.Acl;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseManager;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The blocking half of a request: refuse it while the node is sealed, authenticate, authorise, route
 * to the mount's engine, and lease what it hands out. Runs on a worker thread, never on an event loop.
 */
public final class Dispatcher {
    private final MountTable mounts;
    private final TokenStore tokens;
    private final LeaseManager leases;
    private final BooleanSupplier sealed;
    private final BooleanSupplier quorum;

    /** A node on its own, which never lacks a quorum. */
    public Dispatcher(MountTable mounts, TokenStore tokens, LeaseManager leases, BooleanSupplier sealed) {
        this(mounts, tokens, leases, sealed, () -> true);
    }

    /**
     * @param sealed whether the node is sealed now; must not block
     * @param quorum whether this cluster member sees a quorum of its cluster now; must not block
     */
    public Dispatcher(MountTable mounts, TokenStore tokens, LeaseManager leases, BooleanSupplier sealed,
                      BooleanSupplier quorum) {
        this.mounts = mounts;
        this.tokens = tokens;
        this.leases = leases;
        this.sealed = sealed;
        this.quorum = quorum;
    }

    public boolean sealed() {
        return sealed.getAsBoolean();
    }

    /**
     * The check Vault's core makes itself for {@code sys/seal} and {@code sys/step-down}: a known
     * token whose policies grant {@code update} and {@code sudo} on {@code path}. A missing or unknown
     * token is a plain {@code 403 permission denied}; a token without the grant is refused as any
     * request is. The token is used (one of its uses counted) when allowed.
     */
    public void authoriseSudo(String token, String path) {
        Optional<TokenStore.Resolved> caller = token.isEmpty() ? Optional.empty() : tokens.lookup(token);
        if (caller.isEmpty()) {
            throw new EngineException(EngineException.Kind.INVALID_TOKEN, "permission denied");
        }
        if (!Acl.forPolicies(caller.get().entry().policies()).allows(path, Operation.UPDATE, true)) {
            throw EngineException.permissionDenied();
        }
        if (!tokens.use(caller.get())) {
            throw new EngineException(EngineException.Kind.INVALID_TOKEN, "permission denied");
        }
        tokens.revokeIfExhausted(caller.get());
    }

    /**
     * Whether {@code path} is, as far as the mount table last read knows, one that needs no token;
     * never blocks, so the event loop may ask it to choose a worker pool.
     */
    public boolean needsNoToken(String path) {
        return mounts.lastKnownRoute(path)
                .map(r -> r.backend().isUnauthenticated(r.relativePath()))
                .orElse(false);
    }

    public Outcome dispatch(Call call) {
        if (sealed.getAsBoolean()) {
            throw EngineException.sealed(); // before the token: a sealed node can check none
        }
        // A member cut off from its cluster may hold a token, mount or role the other side has
        // revoked or changed since: it answers nothing until it sees a quorum again.
        if (!quorum.getAsBoolean()) {
            throw EngineException.noQuorum();
        }
        Optional<MountTable.Route> route = mounts.route(call.path());
        boolean unauthenticated = route.isPresent()
                && route.get().backend().isUnauthenticated(route.get().relativePath());
        Optional<TokenStore.Resolved> caller = call.token().isEmpty() ? Optional.empty() : tokens.lookup(call.token());
        if (!unauthenticated) {
            authorise(call, route, caller);
        }
        try {
            if (route.isEmpty()) {
                throw new EngineException(EngineException.Kind.NO_ROUTE,
                        "no handler for route " + GoFormat.q(call.path()) + ". route entry not found.");
            }
            MountTable.Route r = route.get();
            MountInfo mount = r.info();
            Caller who = caller.map(c -> new Caller(c.entry().displayName(), c.entry().accessor(), c.entry().meta()))
                    .orElse(Caller.ANONYMOUS);
            Request request = new Request(call.operation(), r.relativePath(), call.fields(), call.token(), who,
                    call.clientAddress(), mount, call.cancellation());
            Response response = r.backend().handle(request);
            if (!quorum.getAsBoolean()) {
                throw EngineException.noQuorum(); // lost while it ran: what it read may be stale
            }
            Lease lease = null;
            if (response.secret() != null) {
                lease = register(r, mount, call.path(), response, who.accessor());
            }
            return new Outcome(call.operation(), r.backend().type(), response, lease);
        } finally {
            caller.ifPresent(tokens::revokeIfExhausted);
        }
    }

    private void authorise(Call call, Optional<MountTable.Route> route, Optional<TokenStore.Resolved> caller) {
        if (call.token().isEmpty()) {
            throw EngineException.permissionDenied();
        }
        if (caller.isEmpty()) {
            throw EngineException.invalidToken();
        }
        boolean sudo = route.isPresent() && route.get().backend().requiresSudo(route.get().relativePath());
        if (!Acl.forPolicies(caller.get().entry().policies()).allows(call.path(), call.operation(), sudo)) {
            throw EngineException.permissionDenied();
        }
        if (!tokens.use(caller.get())) {
            throw EngineException.invalidToken();
        }
    }

    /** Leases the secret; if that fails, the engine takes the secret back before the error surfaces. */
    private Lease register(MountTable.Route r, MountInfo mount, String path, Response response, String accessor) {
        try {
            return leases.register(mount, path, response.secret(), accessor);
        } catch (RuntimeException e) {
            try {
                r.backend().revoke(response.secret().leased());
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
