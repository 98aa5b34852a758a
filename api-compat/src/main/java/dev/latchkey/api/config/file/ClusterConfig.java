package dev.latchkey.api.config.file;

import java.util.List;

/**
 * The {@code cluster {}} stanza: this node is a member of a Hazelcast cluster whose members find
 * each other by TCP/IP at the listed addresses. Every member serves every request.
 *
 * @param name        the cluster's name; members with another name never join this one. It is
 *                    also the {@code cluster_name} that status endpoints report.
 * @param host        the address this member binds and announces (from {@code address})
 * @param port        its member port (from {@code address}, 5701 by default)
 * @param members     {@code host:port} of the members to join, this one included or not
 * @param backupCount synchronous backups of every entry (1 by default): an acknowledged write
 *                    survives the death of this many members
 * @param quorum      the members a side of a split must see to take or issue OTPs and leases; a
 *                    majority of {@code members} by default
 * @param origin      {@code file:line} of the stanza, for messages found after loading
 */
public record ClusterConfig(String name, String host, int port, List<String> members, int backupCount, int quorum,
                            String origin) {
    public static final int DEFAULT_PORT = 5701;

    public ClusterConfig {
        members = List.copyOf(members);
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
