package dev.latchkey.cluster;

import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a member checks around its start, so that a wrong configuration stops it with one clear
 * line instead of Hazelcast's own failure or, worse, a member that runs alone: its address must be
 * one of this host's and free, and members that listen where it was told to look must admit it
 * (they do not when their cluster name differs: Hazelcast only logs that on their side).
 */
final class MemberChecks {
    /** How long a member that finds others listening waits to be admitted by them. */
    private static final long ADMISSION_SECONDS = 20;
    private static final int CONNECT_MILLIS = 1000;

    private MemberChecks() {
    }

    static void addressIsUsable(MemberSpec spec) {
        InetAddress address;
        try {
            address = InetAddress.getByName(spec.host());
        } catch (UnknownHostException e) {
            throw new ClusterStartException("cluster address " + spec.host() + " does not resolve",
                    "use an IP address of this host, or a name that resolves to one");
        }
        try {
            if (NetworkInterface.getByInetAddress(address) == null) {
                throw new ClusterStartException("cluster address " + address.getHostAddress()
                        + " is not an address of this host", "use one of this host's addresses (ip addr shows them)");
            }
        } catch (SocketException e) {
            throw new ClusterStartException("cannot list this host's addresses: " + e.getMessage(),
                    "check the host's network configuration");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, spec.port()));
        } catch (IOException e) {
            throw new ClusterStartException("cluster address " + address.getHostAddress() + ":" + spec.port()
                    + " cannot be bound: " + e.getMessage(),
                    "stop the process that listens there (ss -ltnp shows it) or choose another port");
        }
    }

    /**
     * Other listed members that accept connections must admit this one within a few seconds; when
     * none listens, this member is the first and starts the cluster.
     */
    static void admittedWhereMembersListen(HazelcastInstance hz, MemberSpec spec) {
        List<String> others = new ArrayList<>();
        for (String member : spec.members()) {
            if (!isSelf(member, spec)) {
                others.add(member);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMISSION_SECONDS);
        List<String> listening = listening(others, spec.host());
        while (!listening.isEmpty() && hz.getCluster().getMembers().size() < 2) {
            if (System.nanoTime() > deadline) {
                hz.shutdown();
                throw new ClusterStartException("the members at " + String.join(", ", listening)
                        + " accept connections but did not admit this member to cluster \"" + spec.clusterName() + "\"",
                        "give every member the same cluster name (and check that those addresses are Latchkey members)");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            listening = listening(others, spec.host());
        }
    }

    private static boolean isSelf(String member, MemberSpec spec) {
        int colon = member.lastIndexOf(':');
        String host = member.substring(0, colon).replace("[", "").replace("]", "");
        return member.substring(colon + 1).equals(Integer.toString(spec.port()))
                && (host.equals(spec.host()) || sameAddress(host, spec.host()));
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static List<String> listening(List<String> members, String fromHost) {
        List<String> out = new ArrayList<>();
        for (String member : members) {
            int colon = member.lastIndexOf(':');
            String host = member.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(member.substring(colon + 1));
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(fromHost, 0));
                s.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
                out.add(member);
            } catch (IOException notListening) {
                // not started yet, or gone: nothing to be admitted by
            }
        }
        return out;
    }
}
