package dev.latchkey.cluster;

import dev.latchkey.engine.lease.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.latchkey.testing.LeaseStoreContract.lease;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A member dies without warning: the survivor still has every acknowledged write. */
class FailoverTest {
    private List<ClusterNode> nodes = List.of();

    @AfterEach
    void stop() {
        nodes.forEach(ClusterNode::close);
    }

    @Test
    void survivorHasEveryValueAfterAMemberDies() {
        nodes = LocalCluster.start(2);
        ClusterNode a = nodes.get(0);
        ClusterNode b = nodes.get(1);
        int count = 300;
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            a.storage().put("keep/" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8));
            a.leaseStore().put(lease("keep/lease/" + i, "acc", now - 1));
        }

        // Terminate, not shutdown: no graceful hand-over of partitions, only the backups remain.
        a.hazelcast().getLifecycleService().terminate();
        LocalCluster.awaitTrue(Duration.ofSeconds(30), () -> b.hazelcast().getCluster().getMembers().size() == 1);

        for (int i = 0; i < count; i++) {
            assertEquals("value-" + i,
                    new String(b.storage().get("keep/" + i).orElseThrow(), StandardCharsets.UTF_8), "key " + i);
            Lease lease = b.leaseStore().get("keep/lease/" + i).orElseThrow();
            assertEquals("keep/lease/" + i, lease.id());
        }
        assertEquals(count, b.storage().list("keep/").size());
        // The survivor now owns every partition, so it is offered every due lease.
        assertEquals(count, b.leaseStore().dueIds(now, 10_000).size());
        a.close(); // after terminate, close is a no-op
    }
}
