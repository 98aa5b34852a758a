package dev.latchkey.bench;

import dev.latchkey.cluster.ClusterNode;
import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.SshBackend;
import dev.latchkey.engine.ssh.ca.IssuerStore;
import dev.latchkey.engine.ssh.inventory.CertRecord;
import dev.latchkey.engine.ssh.inventory.Inventory;
import dev.latchkey.engine.ssh.inventory.KrlPublisher;
import dev.latchkey.engine.ssh.inventory.Revocations;
import dev.latchkey.engine.storage.MemoryStorage;
import dev.latchkey.engine.storage.Storage;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inventory at scale, in process: stores N certificate records (each the size of a real one:
 * the record of a certificate signed here, with a new serial), then times {@code LIST certs}
 * pages through the engine (the first page, one from the middle, and one filtered by a principal
 * that one record in a thousand has), then revokes R serials and times building, checking and
 * publishing the KRL. On a Hazelcast member (a cluster of one on loopback, the server's storage)
 * or, with {@code memory}, on the dev server's in-memory storage.
 *
 * <p>Usage: {@code java -Xmx6g -cp benchmarks.jar dev.latchkey.bench.InventoryScale hazelcast|memory [N] [R]}
 */
public final class InventoryScale {
    private static final Caller ROOT = new Caller("root", "q3ZgT0ePbX4xV7hK2mN9wLc1", Map.of());
    private static final MountInfo MOUNT = new MountInfo("ssh/", "5d1c0f49-58cf-4a0a-9c4b-5a3c3f1f3c9d", "ssh_5d1c0f49",
            768 * 3600L, 768 * 3600L);

    private InventoryScale() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "hazelcast";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int revoked = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        if (kind.equals("memory")) {
            run(kind, new MemoryStorage(), n, revoked);
            return;
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (ClusterNode node = ClusterNode.startLocalCluster(ClusterNode.newClusterSecret(), port,
                List.of("127.0.0.1:" + port))) {
            run(kind, node.storage().view("logical/" + MOUNT.uuid() + "/"), n, revoked);
        }
    }

    private static Response call(SshBackend ssh, Operation op, String path, Map<String, Object> fields) {
        return ssh.handle(new Request(op, path, fields, "", ROOT, "127.0.0.1", MOUNT)).await();
    }

    private static void run(String kind, Storage storage, int n, int revokedCount) throws Exception {
        SshBackend ssh = new SshBackend(storage, System::currentTimeMillis, login -> {
            throw new UnsupportedOperationException("no dynamic roles here");
        });
        call(ssh, Operation.UPDATE, "config/ca", Map.of("key_type", "ed25519"));
        call(ssh, Operation.UPDATE, "roles/user", Map.of("key_type", "ca", "allow_user_certificates", true,
                "allowed_users", "*", "ttl", "1h"));
        String userKey = (String) call(ssh, Operation.UPDATE, "issue/user",
                Map.of("key_type", "ed25519", "valid_principals", "alice")).data().get("signed_key");
        Inventory inventory = new Inventory(storage);
        CertRecord template = inventory.list("", 1, 1, null).records().get(0);

        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        int threads = Runtime.getRuntime().availableProcessors() * 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long seed = t;
            work.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    long serial;
                    do {
                        serial = random.nextLong();
                    } while (serial == 0);
                    List<String> principals = i % 1000 == 0 ? List.of("rare") : List.of("alice");
                    inventory.record(new CertRecord(serial, "vault-root-" + i, template.issuerId(), "user", "user",
                            principals, Map.of(), template.extensions(), template.validAfter(), template.validBefore(),
                            template.keyType(), template.keyFingerprint(), userKey, template.accessor(),
                            template.displayName(), "127.0.0.1", template.issuedAt(), "", "", 0, ""));
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        double storeSeconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> list = new HashMap<>(Map.of("limit", 100L));
        double first = medianMillis(21, () -> call(ssh, Operation.LIST, "certs/", list));
        Map<String, Object> middle = new HashMap<>(Map.of("limit", 100L, "after", "8000000000000000"));
        double mid = medianMillis(21, () -> call(ssh, Operation.LIST, "certs/", middle));
        Map<String, Object> rare = new HashMap<>(Map.of("limit", 100L, "principal", "rare"));
        double filtered = medianMillis(5, () -> call(ssh, Operation.LIST, "certs/", rare));
        int filteredKeys = keys(call(ssh, Operation.LIST, "certs/", rare));

        // revocations: R serials of recorded certificates, through the store the revoke path uses
        Revocations revocations = new Revocations(storage);
        IssuerStore issuers = new IssuerStore(storage);
        IssuerStore.Issuer issuer = issuers.snapshot().defaultIssuer().orElseThrow();
        List<CertRecord> victims = new ArrayList<>();
        String after = "";
        while (victims.size() < revokedCount) {
            Inventory.Page page = inventory.list(after, Math.min(10_000, revokedCount - victims.size()), 100_000, null);
            victims.addAll(page.records());
            if (page.nextAfter().isEmpty()) {
                break;
            }
            after = page.nextAfter();
        }
        long now = System.currentTimeMillis() / 1000;
        long revokeStart = System.nanoTime();
        for (CertRecord r : victims) {
            revocations.revokeSerial(issuer.id(), issuer.publicKey(), r.serial(), r.validBefore(), r.keyId(), "bench", now);
        }
        double revokeSeconds = (System.nanoTime() - revokeStart) / 1e9;
        KrlPublisher krl = new KrlPublisher(storage, revocations, issuers);
        double[] buildMillis = new double[5];
        KrlPublisher.Published published = null;
        for (int i = 0; i < buildMillis.length; i++) {
            // a key revoked each time, so that every round builds, checks and publishes a new list
            revocations.revokeKeyId(Revocations.ANY_CA, "bench-round-" + i, "bench", now);
            long t0 = System.nanoTime();
            published = krl.publish(now);
            buildMillis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(buildMillis);
        System.out.printf("BENCH_INVENTORY {\"storage\":\"%s\",\"records\":%d,\"store_seconds\":%.1f,"
                        + "\"list_first_ms\":%.2f,\"list_middle_ms\":%.2f,\"list_filtered_ms\":%.1f,\"list_filtered_keys\":%d,"
                        + "\"revoked\":%d,\"revoke_seconds\":%.1f,\"krl_bytes\":%d,\"krl_build_ms\":%.0f,\"krl_version\":%d}%n",
                kind, n, storeSeconds, first, mid, filtered, filteredKeys, victims.size(), revokeSeconds,
                published.krl().length, buildMillis[buildMillis.length / 2], published.version());
        pool.shutdown();
    }

    @SuppressWarnings("unchecked")
    private static int keys(Response r) {
        return r.hasBody() ? ((List<String>) r.data().get("keys")).size() : 0;
    }

    private static double medianMillis(int rounds, Runnable call) {
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }
}
