package dev.latchkey.cluster;

/**
 * A lease as the lease map holds it: the two fields the cluster queries on, in clear, and the
 * whole lease sealed in {@code body}.
 *
 * @param dueTime       when the reaper should next act on the lease (epoch millis); indexed
 * @param tokenAccessor accessor of the token that created it, "" if none; indexed
 * @param body          {@code Barrier.seal(leaseId, LeaseCodec.encode(lease))}: the lease without its ID,
 *                      token accessor and due time, which this record keeps in clear, indexed fields
 */
record LeaseEntry(long dueTime, String tokenAccessor, byte[] body) {
    static final String DUE_TIME = "dueTime";
    static final String TOKEN_ACCESSOR = "tokenAccessor";
    static final String BODY = "body";
}
