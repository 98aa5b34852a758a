package dev.latchkey.engine.lease;

import dev.latchkey.engine.storage.Stages;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where leases live. Implementations are synchronous, may block, and are safe to call from any
 * thread. Each method is atomic for the one lease it touches; the queries that return IDs see
 * each lease as it was at some moment during the call, not all of them at one instant.
 */
public interface LeaseStore {
    /** Stores the lease under its ID, replacing whatever was there (its indexes with it). */
    void put(Lease lease);

    /**
     * {@link #put}, as a stage that may complete on another thread: a {@code creds} stores its
     * lease while its OTP is being stored. By default the synchronous form, run on the caller's thread.
     */
    default CompletionStage<Void> putAsync(Lease lease) {
        return Stages.now(() -> {
            put(lease);
            return null;
        });
    }

    /**
     * Atomically stores {@code lease} only if a lease with its ID still exists; false if it is
     * gone. Used to record a failed revocation without resurrecting a lease that was revoked
     * meanwhile.
     */
    boolean replace(Lease lease);

    Optional<Lease> get(String id);

    /** Removes the lease; no error when it is absent. */
    void delete(String id);

    /** Every lease ID that starts with the prefix (all depths), sorted. */
    List<String> idsWithPrefix(String prefix);

    /** Every lease ID created by the token with this accessor, sorted. */
    List<String> idsByToken(String tokenAccessor);

    /**
     * Up to {@code limit} IDs of leases whose {@code dueTime} is at or before {@code nowMillis} and
     * that this node is responsible for (in a cluster: whose partition it owns), so that every due
     * lease is handled by exactly one node; the earliest due first (ties by ID), none when
     * {@code limit} is 0 or less.
     */
    List<String> dueIds(long nowMillis, int limit);
}
