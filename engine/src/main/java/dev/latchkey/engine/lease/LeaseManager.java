package dev.latchkey.engine.lease;

import dev.latchkey.engine.framework.Backend;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.framework.SecretSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Registers, renews and revokes leases, and revokes the ones that expired. The engine that issued
 * a secret undoes it; the lease is deleted only once that succeeded, so a failure is retried (with
 * back-off) by whichever node owns the lease next time it is due.
 */
public final class LeaseManager {
    private static final Logger LOG = Logger.getLogger(LeaseManager.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 10 * 60 * 1000L;

    /** How the manager finds the engine and the current TTL settings of a mount. */
    public interface Mounts {
        Optional<Backend> backend(String mountUuid);

        Optional<MountInfo> mount(String mountUuid);
    }

    /**
     * What the reaper reports of expired leases, for metrics; called on the reaper's thread, must
     * not block or throw.
     */
    public interface Events {
        Events NONE = new Events() {
        };

        /** An expired lease's secret was revoked by its engine and the lease deleted. */
        default void expiredRevoked(String secretType) {
        }

        /** Revoking an expired lease's secret failed; it is kept and tried again after a back-off. */
        default void expiredRetrying(String secretType) {
        }
    }

    private final LeaseStore store;
    private final Mounts mounts;
    private final LongSupplier clock;
    private final Events events;
    /** Leases this node is revoking over the network right now, so none is started twice. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Due leases whose stored record cannot be read, each with when to try it again. */
    private final Map<String, Unreadable> unreadable = new ConcurrentHashMap<>();

    /** A lease set aside by the reaper: how often it could not be read, and when to try it next. */
    private record Unreadable(int attempts, long retryAt) {
    }

    public LeaseManager(LeaseStore store, Mounts mounts, LongSupplier clockMillis) {
        this(store, mounts, clockMillis, Events.NONE);
    }

    public LeaseManager(LeaseStore store, Mounts mounts, LongSupplier clockMillis, Events events) {
        this.store = store;
        this.mounts = mounts;
        this.clock = clockMillis;
        this.events = events;
    }

    /**
     * Leases a secret an engine handed out for the request at {@code requestPath} (full path,
     * mount included), for the mount's default TTL (which never exceeds its maximum).
     */
    public Lease register(MountInfo mount, String requestPath, SecretSpec secret, String tokenAccessor) {
        Lease lease = newLease(mount, requestPath, secret, tokenAccessor);
        store.put(lease);
        return lease;
    }

    /**
     * {@link #register}, with the lease stored asynchronously: the lease, and the stage of its
     * write. Nothing may be handed out under it before that stage has completed normally.
     */
    public Registration registerAsync(MountInfo mount, String requestPath, SecretSpec secret, String tokenAccessor) {
        Lease lease = newLease(mount, requestPath, secret, tokenAccessor);
        return new Registration(lease, store.putAsync(lease));
    }

    /** A lease being stored: {@code stored} completes once it is. */
    public record Registration(Lease lease, CompletionStage<Void> stored) {
    }

    /** Removes a lease whose secret was never handed out, without asking its engine to revoke it. */
    public void discard(String id) {
        store.delete(id);
    }

    private Lease newLease(MountInfo mount, String requestPath, SecretSpec secret, String tokenAccessor) {
        long ttl = mount.defaultLeaseTtl();
        long now = clock.getAsLong();
        long expire = now + ttl * 1000L;
        return new Lease(LeaseIds.forPath(requestPath), mount.uuid(), secret.type(), secret.internalData(),
                tokenAccessor, now, expire, 0L, secret.renewable(), 0, "", expire);
    }

    public Lease lookup(String id) {
        return store.get(id).orElseThrow(() -> EngineException.user("invalid lease"));
    }

    public List<String> idsWithPrefix(String prefix) {
        return store.idsWithPrefix(prefix);
    }

    /**
     * Extends a lease by {@code incrementSeconds} from now (0: by the mount default), never past
     * the mount maximum counted from the issue time.
     */
    public Lease renew(String id, long incrementSeconds) {
        Lease lease = store.get(id).orElseThrow(() -> EngineException.user("lease not found"));
        long now = clock.getAsLong();
        if (lease.isExpiredAt(now)) {
            throw EngineException.user(lease.revokeAttempts() > 0
                    ? "lease is expired and has failed previous revocation attempts" : "lease expired");
        }
        if (!lease.renewable()) {
            throw EngineException.user("lease is not renewable");
        }
        MountInfo mount = mounts.mount(lease.mountUuid()).orElseThrow(() -> EngineException.user("lease not found"));
        long ttl = incrementSeconds > 0 ? incrementSeconds : mount.defaultLeaseTtl();
        long expire = Math.min(now + ttl * 1000L, lease.issueTime() + mount.maxLeaseTtl() * 1000L);
        Lease renewed = lease.renewed(now, expire);
        if (!store.replace(renewed)) {
            throw EngineException.user("lease not found"); // revoked while it was being renewed
        }
        return renewed;
    }

    /**
     * Revokes one lease; an unknown ID is not an error. Idempotent. If the engine fails, the error
     * is thrown, and the lease is kept as expired with the failure recorded, so the reaper retries
     * it with back-off (visible in {@code sys/leases/lookup}) until it succeeds.
     */
    public void revoke(String id) {
        store.get(id).ifPresent(this::revokeOrRetryLater);
    }

    private void revokeOrRetryLater(Lease lease) {
        try {
            revoke(lease, false);
        } catch (RuntimeException e) {
            long now = clock.getAsLong();
            store.replace(lease.expiredBy(now).failedRevocation(String.valueOf(e.getMessage()), now + backoff(lease)));
            throw e;
        }
    }

    private static long backoff(Lease lease) {
        return backoff(lease.revokeAttempts());
    }

    private static long backoff(int failedAttempts) {
        return Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(20, failedAttempts));
    }

    /** Revokes every lease under the prefix; with {@code force}, engine failures are ignored. */
    public void revokePrefix(String prefix, boolean force) {
        if (!prefix.endsWith("/")) {
            // As Vault: a prefix is a path ("ssh/creds/web" must not reach "ssh/creds/web2/..."),
            // unless it names one lease exactly.
            Optional<Lease> exact = store.get(prefix);
            if (exact.isPresent()) {
                revokeUnder(exact.get(), force);
                return;
            }
            prefix = prefix + "/";
        }
        EngineException first = null;
        for (String id : store.idsWithPrefix(prefix)) {
            Optional<Lease> lease = store.get(id);
            if (lease.isEmpty()) {
                continue;
            }
            try {
                revokeUnder(lease.get(), force);
            } catch (EngineException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void revokeUnder(Lease lease, boolean force) {
        if (force) {
            revoke(lease, true);
        } else {
            revokeOrRetryLater(lease);
        }
    }

    /** Revokes every lease the token with this accessor created. */
    public void revokeByToken(String tokenAccessor) {
        for (String id : store.idsByToken(tokenAccessor)) {
            try {
                revoke(id);
            } catch (EngineException e) {
                LOG.log(Level.WARNING, "revocation of lease {0} failed with its token: {1}",
                        new Object[] {id, e.getMessage()});
            }
        }
    }

    /**
     * Revokes up to {@code limit} due leases this node is responsible for; failures are rescheduled
     * with exponential back-off. Leases whose engine revokes them over the network (a dynamic key's
     * SSH session can wait on a dead host for a minute) go to {@code remote}, so they never hold
     * back the rest, such as the expiry of OTPs; one already being revoked there is skipped.
     * A lease whose stored record cannot be read (corrupt, or forged by someone who reached the
     * store without the key) is logged by ID, set aside and tried again with back-off, so it never
     * stalls the leases due after it. Returns how many leases were handled.
     */
    public int revokeDue(int limit, Executor remote) {
        long now = clock.getAsLong();
        forgetStaleUnreadable(now);
        int handled = 0;
        for (String id : store.dueIds(now, limit + inFlight.size() + unreadable.size())) {
            if (handled == limit) {
                break;
            }
            if (inFlight.contains(id) || isSetAside(id, now)) {
                continue;
            }
            handled++;
            Optional<Lease> found;
            try {
                found = dueLease(id, now);
                unreadable.remove(id);
            } catch (RuntimeException e) {
                setAside(id, e, now);
                continue;
            }
            if (found.isEmpty()) {
                continue;
            }
            Lease lease = found.get();
            boolean overNetwork = mounts.backend(lease.mountUuid())
                    .map(b -> b.revokesOverNetwork(lease.secretType())).orElse(false);
            if (!overNetwork) {
                revokeExpired(lease, now);
                continue;
            }
            inFlight.add(id);
            try {
                remote.execute(() -> {
                    try {
                        dueLease(id, now).ifPresent(current -> revokeExpired(current, now)); // may have changed while queued
                    } finally {
                        inFlight.remove(id);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                inFlight.remove(id);
                break;
            }
        }
        return handled;
    }

    private boolean isSetAside(String id, long now) {
        Unreadable u = unreadable.get(id);
        return u != null && u.retryAt() > now;
    }

    /**
     * Nothing in the record can be trusted, not even its expiry, so the reaper neither revokes
     * nor deletes it: an operator decides (e.g. {@code sys/leases/revoke-force}). The message of
     * the error is left out of the log, as it may quote what was stored.
     */
    private void setAside(String id, RuntimeException e, long now) {
        Unreadable u = unreadable.merge(id, new Unreadable(1, now + backoff(0)),
                (old, first) -> new Unreadable(old.attempts() + 1, now + backoff(old.attempts())));
        LOG.log(u.attempts() == 1 ? Level.SEVERE : Level.WARNING,
                "lease {0} cannot be read ({1}); the reaper sets it aside and tries it again in {2} ms",
                new Object[] {id, e.getClass().getSimpleName(), u.retryAt() - now});
    }

    /**
     * A lease set aside and not offered again long after its retry was due has gone (deleted, or
     * owned by another node now): forgotten, so the set cannot grow without bound.
     */
    private void forgetStaleUnreadable(long now) {
        unreadable.values().removeIf(u -> u.retryAt() + MAX_BACKOFF_MILLIS < now);
    }

    private Optional<Lease> dueLease(String id, long now) {
        return store.get(id).filter(lease -> lease.dueTime() <= now);
    }

    private void revokeExpired(Lease lease, long now) {
        try {
            revoke(lease, false);
            events.expiredRevoked(lease.secretType());
        } catch (RuntimeException e) {
            long backoff = backoff(lease);
            if (!store.replace(lease.failedRevocation(String.valueOf(e.getMessage()), now + backoff))) {
                return; // revoked (or force-revoked) by someone else meanwhile: nothing left to retry
            }
            events.expiredRetrying(lease.secretType());
            LOG.log(Level.WARNING, "revocation of expired lease {0} failed (attempt {1}), retrying in {2} ms: {3}",
                    new Object[] {lease.id(), lease.revokeAttempts() + 1, backoff, e.getMessage()});
        }
    }

    private void revoke(Lease lease, boolean force) {
        Optional<Backend> backend = mounts.backend(lease.mountUuid());
        if (backend.isPresent()) {
            try {
                backend.get().revoke(lease.secret());
            } catch (RuntimeException e) {
                if (!force) {
                    throw e;
                }
                LOG.log(Level.WARNING, "forced revocation of lease {0} ignored an engine error: {1}",
                        new Object[] {lease.id(), e.getMessage()});
            }
        }
        store.delete(lease.id());
    }
}
