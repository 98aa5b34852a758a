package dev.latchkey.cluster;

import dev.latchkey.testing.FreePorts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Starts members that form one cluster on loopback, on ports free right now. */
final class LocalCluster {
    private LocalCluster() {
    }

    /** Members on free ports with a fresh secret cluster name, so parallel builds never join each other. */
    static List<ClusterNode> start(int size) {
        String name = ClusterNode.newClusterSecret();
        List<Integer> ports = freePorts(size);
        List<String> addresses = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<ClusterNode> nodes = new ArrayList<>();
        try {
            for (int port : ports) {
                nodes.add(ClusterNode.startLocalCluster(name, port, addresses));
            }
            awaitTrue(Duration.ofSeconds(30), () -> nodes.stream().allMatch(
                    n -> n.hazelcast().getCluster().getMembers().size() == size
                            && n.hazelcast().getPartitionService().isClusterSafe()));
            return nodes;
        } catch (RuntimeException | Error e) {
            nodes.forEach(ClusterNode::close);
            throw e;
        }
    }

    static void awaitTrue(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static List<Integer> freePorts(int count) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(FreePorts.next());
        }
        return ports;
    }
}
