package dev.latchkey.cluster;

import java.util.List;
import java.util.Map;

/**
 * What a member of a configured cluster needs to join it.
 *
 * @param clusterName  members with another name form another cluster; every member sets the same
 * @param host         the interface the member binds, and the address it announces to the others
 * @param port         the member port
 * @param members      {@code host:port} of the members to join (TCP/IP; no multicast)
 * @param backupCount  synchronous backups of every entry
 * @param quorum       the members (this one included) a member must have heard from within the last
 *                     few seconds to touch OTPs and leases; a majority of the cluster keeps the two
 *                     sides of a split from both using one OTP
 * @param attributes   what the other members learn about this one (its API address, its host
 *                     name), for status endpoints that list the members
 */
public record MemberSpec(String clusterName, String host, int port, List<String> members, int backupCount,
                         int quorum, Map<String, String> attributes) {
    public MemberSpec {
        members = List.copyOf(members);
        attributes = Map.copyOf(attributes);
        if (backupCount < 0 || backupCount > 6) {
            throw new IllegalArgumentException("backup_count must be 0 to 6, not " + backupCount);
        }
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1, not " + quorum);
        }
    }
}
