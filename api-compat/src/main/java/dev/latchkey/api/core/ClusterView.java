package dev.latchkey.api.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * This node's cluster as the HA status endpoints report it. Every member of a Latchkey cluster
 * serves every request, so each is what Vault calls an active node: none is a standby.
 */
public interface ClusterView {
    /** A node on its own: Vault's answer for storage without HA. */
    ClusterView STANDALONE = new ClusterView() {
        @Override
        public boolean haEnabled() {
            return false;
        }

        @Override
        public List<Member> members() {
            return List.of();
        }
    };

    /**
     * One member.
     *
     * @param hostname       its host's name, as it announced it
     * @param apiAddress     its {@code api_addr}; "" when it has none
     * @param clusterAddress where the other members reach it, {@code tcp://host:port}
     * @param self           whether it is the node answering
     * @param version        the Vault API version it serves
     */
    record Member(String hostname, String apiAddress, String clusterAddress, boolean self, String version) {
    }

    /** Whether this node is a member of a configured cluster. */
    boolean haEnabled();

    /** The members, this node among them, sorted by API address then cluster address; empty when alone. */
    List<Member> members();

    /** This host's name as members announce it; "" when it has none. */
    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
