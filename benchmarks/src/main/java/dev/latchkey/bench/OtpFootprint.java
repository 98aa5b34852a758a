package dev.latchkey.bench;

import dev.latchkey.cluster.ClusterNode;
import dev.latchkey.engine.framework.Backend;
import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.ssh.SshBackend;
import dev.latchkey.engine.storage.Storage;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Heap taken by live OTPs with their leases: mints N OTPs through the SSH engine and the lease
 * manager over a Hazelcast member (a cluster of one on loopback), as the server's creds path does, and reports the growth of
 * the heap after full collections. Run it under {@code -Xmx1g}: finishing at all shows that N OTPs fit.
 *
 * <p>Usage: {@code java -Xmx1g -cp benchmarks.jar dev.latchkey.bench.OtpFootprint [N]}
 */
public final class OtpFootprint {
    private OtpFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        // A Hazelcast member, not a standalone node: the footprint that matters is a cluster's.
        try (ClusterNode node = ClusterNode.startLocalCluster(ClusterNode.newClusterSecret(), port,
                List.of("127.0.0.1:" + port))) {
            Storage storage = node.storage().view("logical/0b9f7f49-58cf-4a0a-9c4b-5a3c3f1f3c9d/");
            SshBackend ssh = new SshBackend(storage, System::currentTimeMillis, login -> {
                throw new UnsupportedOperationException("no dynamic roles here");
            });
            MountInfo mount = new MountInfo("ssh/", "0b9f7f49-58cf-4a0a-9c4b-5a3c3f1f3c9d", "ssh_0b9f7f49",
                    768 * 3600L, 768 * 3600L);
            LeaseManager leases = new LeaseManager(node.leaseStore(), new LeaseManager.Mounts() {
                @Override
                public Optional<Backend> backend(String uuid) {
                    return Optional.of(ssh);
                }

                @Override
                public Optional<MountInfo> mount(String uuid) {
                    return Optional.of(mount);
                }
            }, System::currentTimeMillis);
            Caller root = new Caller("root", "q3ZgT0ePbX4xV7hK2mN9wLc1", Map.of());
            ssh.handle(new Request(Operation.UPDATE, "roles/web", Map.of("key_type", "otp",
                    "default_user", "ubuntu", "cidr_list", "10.0.0.0/8"), "", root, "127.0.0.1", mount));

            long before = usedAfterGc();
            long start = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            int threads = Runtime.getRuntime().availableProcessors() * 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        String ip = "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
                        Response r = ssh.handle(new Request(Operation.UPDATE, "creds/web", Map.of("ip", ip), "",
                                root, "127.0.0.1", mount));
                        leases.register(mount, "ssh/creds/web", r.secret(), root.accessor());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            long after = usedAfterGc();
            long maxHeap = Runtime.getRuntime().maxMemory();
            System.out.printf("BENCH_MEMORY {\"otps\":%d,\"seconds\":%.1f,\"heap_before\":%d,\"heap_after\":%d,"
                            + "\"bytes_per_otp\":%.0f,\"max_heap\":%d,\"kv_entries\":%d,\"lease_entries\":%d}%n",
                    n, seconds, before, after, (after - before) / (double) n, maxHeap,
                    node.hazelcast().getMap("latchkey-kv").size(), node.hazelcast().getMap("latchkey-leases").size());
            if (Boolean.getBoolean("footprint.hold")) {
                Thread.sleep(60_000); // time for jmap -histo
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
