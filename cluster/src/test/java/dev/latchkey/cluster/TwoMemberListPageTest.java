package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listing held by two members, read a page at a time: each member's least keys (sent as
 * {@link LeastKeys}, after a {@link KeyRangePredicate} went the other way) combine into the
 * cluster's, and the pages together are the listing.
 */
class TwoMemberListPageTest {
    private static List<ClusterNode> nodes;
    private static Storage storage;

    /** 300 leaves; every tenth also a folder of two keys; every seventh leaf deleted, which leaves a marker. */
    @BeforeAll
    static void start() {
        nodes = LocalCluster.start(2);
        storage = new HazelcastStorage(nodes.get(0).hazelcast().getMap("paged"), true);
        for (int i = 0; i < 300; i++) {
            String leaf = String.format("certs/%03d", i);
            storage.put(leaf, leaf.getBytes(StandardCharsets.UTF_8));
            if (i % 10 == 0) {
                storage.put(leaf + "/x", leaf.getBytes(StandardCharsets.UTF_8));
                storage.put(leaf + "/y", leaf.getBytes(StandardCharsets.UTF_8));
            }
            if (i % 7 == 0) {
                storage.delete(leaf);
            }
        }
        storage.put("certsx/neighbour", new byte[] {1});
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ClusterNode::close);
    }

    @ParameterizedTest(name = "pages of {0}")
    @ValueSource(ints = {1, 3, 50, 1000})
    void thePagesTogetherAreTheListing(int limit) {
        for (ClusterNode node : nodes) {
            IMap<String, byte[]> map = node.hazelcast().getMap("paged");
            assertTrue(map.localKeySet().size() > 0, "each member holds some of the keys");
        }
        List<String> listing = storage.list("certs/");
        assertEquals(300 - 43 + 30, listing.size()); // 43 leaves deleted (0, 7, ..., 294), 30 folders
        List<String> paged = new ArrayList<>();
        String after = "";
        while (true) {
            List<String> page = storage.listPage("certs/", after, limit);
            assertTrue(page.size() <= limit, "a page holds at most the limit");
            paged.addAll(page);
            if (page.size() < limit) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        assertEquals(listing, paged);
    }
}
