package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.sqlite.SqliteStore;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * The process {@link DurableCrashTest} kills: writes from many threads to a node on {@code file}
 * storage and prints each write once it has returned: {@code P key}, {@code T key} (taken),
 * {@code L id} (lease put), {@code D id} (lease deleted), and before a take or a delete {@code X key} or {@code Y id}, after
 * which, until its acknowledgement, either outcome is right. Arguments: data directory, barrier key in hex.
 */
public final class DurableCrashChild {
    static final String PLAINTEXT = "plaintext-marker-";
    private static final int THREADS = 16;

    private DurableCrashChild() {
    }

    public static void main(String[] args) {
        ClusterNode node = ClusterNode.startStandalone(SqliteStore.open(Path.of(args[0])),
                new Barrier(HexFormat.of().parseHex(args[1])));
        Storage storage = node.storage();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            new Thread(() -> {
                for (long i = 0; ; i++) {
                    String key = "otp/" + thread + "/" + i;
                    storage.put(key, (PLAINTEXT + key).getBytes(StandardCharsets.UTF_8));
                    say("P " + key);
                    if (i % 3 == 2) {
                        String previous = "otp/" + thread + "/" + (i - 1);
                        say("X " + previous); // about to take: a kill now may leave it either way
                        if (storage.take(previous).isPresent()) {
                            say("T " + previous);
                        }
                    }
                    String id = "ssh/creds/r/" + thread + "-" + i;
                    node.leaseStore().put(new Lease(id, "mount", "secret_otp_type", Map.of("note", PLAINTEXT + id),
                            "", 0, 1, 0, true, 0, "", 1));
                    say("L " + id);
                    if (i % 4 == 3) {
                        String old = "ssh/creds/r/" + thread + "-" + (i - 2);
                        say("Y " + old); // about to delete
                        node.leaseStore().delete(old);
                        say("D " + old);
                    }
                }
            }).start();
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
