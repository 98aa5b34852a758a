package dev.latchkey.cluster;

import dev.latchkey.engine.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.latchkey.testing.LeaseStoreContract.lease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two members in one JVM, joined by TCP/IP on loopback. */
class TwoMemberClusterTest {
    private static ClusterNode a;
    private static ClusterNode b;

    @BeforeAll
    static void start() {
        List<ClusterNode> nodes = LocalCluster.start(2);
        a = nodes.get(0);
        b = nodes.get(1);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void membersShareOneCluster() {
        assertEquals(a.clusterId(), b.clusterId());
        assertEquals(a.displayName(), b.displayName());
        assertEquals(2, b.hazelcast().getCluster().getMembers().size());
    }

    @Test
    void writeOnOneMemberReadsOnTheOther() {
        for (int i = 0; i < 50; i++) {
            a.storage().put("shared/" + i, bytes("value-" + i));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("value-" + i, new String(b.storage().get("shared/" + i).orElseThrow(), StandardCharsets.UTF_8));
        }
        assertEquals(50, b.storage().list("shared/").size());
        assertTrue(b.storage().take("shared/0").isPresent());
        assertTrue(a.storage().take("shared/0").isEmpty());
    }

    @Test
    void everyDueLeaseGoesToExactlyOneMember() {
        long now = System.currentTimeMillis();
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String id = "reap/creds/web/" + i;
            a.leaseStore().put(lease(id, "acc", now - 1_000 - i));
            all.add(id);
        }
        a.leaseStore().put(lease("reap/creds/web/not-yet", "acc", now + 3_600_000));

        List<String> fromA = a.leaseStore().dueIds(now, 10_000);
        List<String> fromB = b.leaseStore().dueIds(now, 10_000);
        assertFalse(fromA.isEmpty(), "each member owns some partitions");
        assertFalse(fromB.isEmpty(), "each member owns some partitions");

        Set<String> union = new HashSet<>(fromA);
        union.addAll(fromB);
        assertEquals(fromA.size() + fromB.size(), union.size(), "no lease offered to both members");
        assertEquals(all, union);
    }


    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
