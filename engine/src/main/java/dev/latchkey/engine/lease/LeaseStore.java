package dev.latchkey.engine.lease;

import java.util.List;
import java.util.Optional;

/**
 * Where leases live. Implementations are synchronous and may block.
 */
public interface LeaseStore {
    void put(Lease lease);

    /**
     * Stores {@code lease} only if a lease with its ID still exists; false if it is gone. Used to
     * record a failed revocation without resurrecting a lease that was revoked meanwhile.
     */
    boolean replace(Lease lease);

    Optional<Lease> get(String id);

    void delete(String id);

    /** Every lease ID that starts with the prefix (all depths), sorted. */
    List<String> idsWithPrefix(String prefix);

    /** Every lease ID created by the token with this accessor. */
    List<String> idsByToken(String tokenAccessor);

    /**
     * Up to {@code limit} IDs of leases whose {@code dueTime} is at or before {@code nowMillis} and
     * that this node is responsible for (in a cluster: whose partition it owns), so that every due
     * lease is handled by exactly one node.
     */
    List<String> dueIds(long nowMillis, int limit);
}
