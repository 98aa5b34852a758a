package dev.latchkey.cluster;

/**
 * A lease as the lease map holds it: the two fields the cluster queries on, in clear, and the
 * whole lease sealed in {@code body}. The clear fields are only an index: the sealed body holds
 * them too, and a read that finds the two disagree takes the sealed ones (see
 * {@link HazelcastLeaseStore}), because anyone who reaches the map can edit a clear field.
 *
 * @param dueTime       when the reaper should next act on the lease (epoch millis); indexed
 * @param tokenAccessor accessor of the token that created it, "" if none; indexed
 * @param body          {@code Barrier.seal(leaseId, ...)} of the due time, the token accessor and
 *                      {@code LeaseCodec.encode(lease)} (which leaves those two and the ID out)
 */
record LeaseEntry(long dueTime, String tokenAccessor, byte[] body) {
    static final String DUE_TIME = "dueTime";
    static final String TOKEN_ACCESSOR = "tokenAccessor";
    static final String BODY = "body";
}
