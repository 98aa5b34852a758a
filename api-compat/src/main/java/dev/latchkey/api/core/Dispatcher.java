package dev.latchkey.api.core;

import dev.latchkey.api.acl.Acl;
import dev.latchkey.api.acl.Capability;
import dev.latchkey.api.audit.AuditLog;
import dev.latchkey.api.identity.IdentityStore;
import dev.latchkey.api.identity.TokenAcls;
import dev.latchkey.api.metrics.Metrics;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.api.token.TokenEntry;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.net.CidrList;
import dev.latchkey.engine.storage.Stages;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The blocking half of a request: refuse it while the node is sealed, authenticate, authorise, route
 * to the mount's engine, and lease what it hands out. Runs on a worker thread, never on an event loop;
 * on the OTP hot path it returns before the storage has answered (see {@link #dispatchAsync}).
 */
public final class Dispatcher {
    private final MountTable mounts;
    private final TokenStore tokens;
    private final TokenAcls acls;
    private final LoginPipeline logins;
    private final Lockouts lockouts;
    private final AuditTrail audit;
    private final LeaseManager leases;
    private final BooleanSupplier sealed;
    private final BooleanSupplier quorum;
    private final Executor blocking;
    private final Metrics metrics;

    /**
     * @param sealed whether the node is sealed now; must not block
     * @param quorum whether this cluster member sees a quorum of its cluster now; must not block
     * @param blocking where work that may block runs once a request's storage has answered
     *                 asynchronously (a worker pool; never a storage library's own threads)
     */
    public Dispatcher(MountTable mounts, TokenStore tokens, TokenAcls acls, IdentityStore identity, LeaseManager leases,
                      BooleanSupplier sealed, BooleanSupplier quorum, Executor blocking, LongSupplier clockMillis,
                      Lockouts lockouts, AuditLog auditLog, String version, Metrics metrics) {
        this.audit = new AuditTrail(auditLog, version, metrics);
        this.metrics = metrics;
        this.mounts = mounts;
        this.acls = acls;
        this.logins = new LoginPipeline(tokens, identity, clockMillis);
        this.lockouts = lockouts;
        this.tokens = tokens;
        this.leases = leases;
        this.sealed = sealed;
        this.quorum = quorum;
        this.blocking = blocking;
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
        if (!acls.acl(caller.get().entry()).allows(path, Operation.UPDATE, true)) {
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

    /**
     * A bounded name for what {@code path} asks, for metrics: the mount's type and the path family
     * its engine matched ({@code ssh/creds}, {@code token/create}, {@code system/mounts}), from the
     * mount table as last read, so it never blocks. Paths no engine matches are {@code <type>/other},
     * and paths under no mount {@code unrouted}: a caller cannot mint new label values.
     */
    public String family(String path) {
        return mounts.lastKnownRoute(path)
                .map(r -> r.backend().type() + "/" + r.backend().family(r.relativePath()).orElse("other"))
                .orElse("unrouted");
    }

    /** Whether {@code path} is a login: an unauthenticated path of an auth method. */
    public boolean isLogin(String path) {
        return path.startsWith("auth/") && needsNoToken(path);
    }

    /** {@link #dispatchAsync}, waited for: tests and other synchronous callers. */
    public Outcome dispatch(Call call) {
        return Stages.join(dispatchAsync(call));
    }

    /**
     * Runs the request's synchronous part on this (worker) thread and returns the stage of its
     * outcome. On the OTP hot path that stage completes later, on whichever thread completes the
     * storage's write or take, and no thread waits for it: a {@code creds}' lease is stored while
     * its OTP is, and the answer is sent once both are. Whatever may block after that (undoing a
     * half-made secret, revoking a token on its last use) runs on {@code blocking}.
     */
    public CompletionStage<Outcome> dispatchAsync(Call call) {
        try (RequestScope.Closing scope = RequestScope.enter(call.requestId())) {
            return dispatchInScope(call);
        }
    }

    private CompletionStage<Outcome> dispatchInScope(Call call) {
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
        boolean auditing = audit.active();
        Caller who;
        List<String> identityPolicies = List.of();
        try {
            if (unauthenticated) {
                who = caller.map(c -> acls.caller(c.entry())).orElse(Caller.ANONYMOUS);
            } else {
                TokenAcls.Grant grant = authorise(call, route, caller);
                who = grant.caller();
                identityPolicies = grant.identityPolicies();
            }
        } catch (EngineException e) {
            if (auditing) {
                audit.rejected(call, route, caller, e.getMessage());
            }
            throw e;
        }
        if (auditing) {
            audit.request(call, route, caller, identityPolicies); // nothing happens unless a device has recorded it
        }
        CompletionStage<Outcome> outcome;
        try {
            if (route.isEmpty()) {
                throw new EngineException(EngineException.Kind.NO_ROUTE,
                        "no handler for route " + GoFormat.q(call.path()) + ". route entry not found.");
            }
            MountTable.Route r = route.get();
            MountInfo mount = r.info();
            Request request = new Request(call.operation(), r.relativePath(), call.fields(), call.token(), who,
                    call.clientAddress(), mount, call.cancellation());
            Optional<String> lockoutAlias = unauthenticated ? r.backend().lockoutAlias(request) : Optional.empty();
            Response response;
            if (lockoutAlias.isEmpty()) {
                response = r.backend().handle(request);
            } else {
                response = loginWithLockout(r, request, lockoutAlias.get());
            }
            if (!quorum.getAsBoolean()) {
                throw EngineException.noQuorum(); // lost while it ran: what it read may be stale
            }
            CompletionStage<Response> ready = response.deferred() != null ? response.deferred()
                    : CompletableFuture.completedFuture(response);
            outcome = ready.thenCompose(actual -> actual.login() != null
                    ? CompletableFuture.completedFuture(new Outcome(call.operation(), r.backend().type(),
                            logins.finish(r, call, actual.login()), null, call.requestId()))
                    : lease(r, call, actual, who.accessor()));
        } catch (RuntimeException e) {
            caller.ifPresent(tokens::revokeIfExhausted);
            if (auditing) {
                audit.response(call, route, caller, identityPolicies, null, e.getMessage());
            }
            throw e;
        }
        if (auditing) {
            List<String> policiesFromIdentity = identityPolicies;
            java.util.function.BiFunction<Outcome, Throwable, Outcome> recorded = (o, failure) -> {
                audit.response(call, route, caller, policiesFromIdentity, o,
                        failure == null ? null : Stages.cause(failure).getMessage());
                if (failure != null) {
                    throw Stages.unchecked(failure);
                }
                return o;
            };
            // Here, on this worker, when the outcome is already known; otherwise off the thread that
            // completes the storage operation, since a device may block.
            outcome = Stages.isDone(outcome) ? outcome.handle(recorded) : outcome.handleAsync(recorded, blocking);
        }
        if (caller.isEmpty() || caller.get().entry().numUses() == 0) {
            return outcome;
        }
        TokenStore.Resolved limited = caller.get();
        return Stages.isDone(outcome) ? outcome.whenComplete((o, e) -> tokens.revokeIfExhausted(limited))
                : outcome.whenCompleteAsync((o, e) -> tokens.revokeIfExhausted(limited), blocking);
    }

    /** A login counted towards its alias's lockout: refused while locked, a wrong credential counted, a success clearing it. */
    private Response loginWithLockout(MountTable.Route r, Request request, String alias) {
        String accessor = r.mount().accessor();
        lockouts.check(accessor, alias);
        Response response;
        try {
            response = r.backend().handle(request);
        } catch (EngineException e) {
            if (e.kind() == EngineException.Kind.INVALID_CREDENTIALS) {
                lockouts.failed(accessor, alias);
            }
            throw e;
        }
        if (response.login() != null) {
            lockouts.succeeded(accessor, alias);
        }
        return response;
    }

    /**
     * The outcome once the response's own writes and its lease (for a secret) are stored, both in
     * flight at once. If either fails the request fails, and what the other made is undone: a lease
     * whose secret was not stored is discarded (its engine is not asked to revoke what it never
     * handed out, which for an OTP could be another's), and a secret whose lease was not stored is
     * revoked by its engine.
     */
    private CompletionStage<Outcome> lease(MountTable.Route r, Call call, Response response, String accessor) {
        if (response.secret() == null) {
            return response.written().thenApply(ignored -> new Outcome(call.operation(), r.backend().type(), response, null,
                    call.requestId()));
        }
        LeaseManager.Registration registration;
        try {
            registration = leases.registerAsync(r.info(), call.path(), response.secret(), accessor);
        } catch (RuntimeException e) {
            return response.written().handleAsync((ignored, writeFailed) -> {
                throw writeFailed == null ? revokeAfter(r, response, e) : Stages.unchecked(writeFailed);
            }, blocking);
        }
        CompletableFuture<Void> secretStored = settled(response.written());
        CompletableFuture<Void> leaseStored = settled(registration.stored());
        return CompletableFuture.allOf(secretStored, leaseStored).handle((ignored, none) -> null)
                .thenCompose(ignored -> {
                    Throwable secretFailed = Stages.failure(secretStored);
                    Throwable leaseFailed = Stages.failure(leaseStored);
                    if (secretFailed == null && leaseFailed == null) {
                        metrics.leaseCreated(r.backend().type(), r.mount().path(), r.info().defaultLeaseTtl());
                        return CompletableFuture.completedFuture(
                                new Outcome(call.operation(), r.backend().type(), response, registration.lease(),
                                        call.requestId()));
                    }
                    // undoing may block: never on the thread that completed a storage operation
                    return CompletableFuture.supplyAsync(() -> {
                        if (secretFailed != null) {
                            if (leaseFailed == null) {
                                discard(registration.lease().id(), secretFailed);
                            }
                            throw Stages.unchecked(secretFailed);
                        }
                        throw revokeAfter(r, response, Stages.unchecked(leaseFailed));
                    }, blocking);
                });
    }

    private static CompletableFuture<Void> settled(CompletionStage<?> stage) {
        return stage.thenApply(ignored -> (Void) null).toCompletableFuture();
    }

    private void discard(String leaseId, Throwable cause) {
        try {
            leases.discard(leaseId);
        } catch (RuntimeException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /**
     * Checks the token against the request and answers who it stands for. A token bound to
     * addresses is refused from any other, and one whose entity is gone or disabled is refused
     * everything, with the plain {@code permission denied} Vault gives both.
     */
    private TokenAcls.Grant authorise(Call call, Optional<MountTable.Route> route, Optional<TokenStore.Resolved> caller) {
        if (call.token().isEmpty()) {
            throw EngineException.permissionDenied();
        }
        if (caller.isEmpty()) {
            throw EngineException.invalidToken();
        }
        TokenEntry entry = caller.get().entry();
        if (!entry.boundCidrs().isEmpty() && !CidrList.anyContainsAddress(entry.boundCidrs(), call.clientAddress())) {
            throw EngineException.forbidden("permission denied");
        }
        TokenAcls.Grant grant = acls.grant(entry).orElseThrow(() -> EngineException.forbidden("permission denied"));
        Acl acl = grant.acl();
        if (acl != Acl.root()) {
            boolean sudo = route.isPresent() && route.get().backend().requiresSudo(route.get().relativePath());
            if (!acl.allows(call.path(), needed(call, route), sudo, call.fields())) {
                throw EngineException.permissionDenied();
            }
        }
        if (!tokens.use(caller.get())) {
            throw EngineException.invalidToken();
        }
        return grant;
    }

    /**
     * The capability the request needs. A write is an update, unless its path declares an existence
     * check and what it names does not exist yet: then it is a create, as in Vault (so a policy
     * granting only {@code create} can make a token role but not change one).
     */
    private static Capability needed(Call call, Optional<MountTable.Route> route) {
        if (call.operation() == Operation.UPDATE && route.isPresent()) {
            Optional<Boolean> exists = route.get().backend().exists(route.get().relativePath());
            if (exists.isPresent() && !exists.get()) {
                return Capability.CREATE;
            }
        }
        return Acl.needed(call.operation());
    }

    /** The lease could not be stored: the engine takes the secret back, and the error is the answer. */
    private static RuntimeException revokeAfter(MountTable.Route r, Response response, RuntimeException e) {
        try {
            r.backend().revoke(response.secret().leased());
        } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
        }
        return e;
    }
}
