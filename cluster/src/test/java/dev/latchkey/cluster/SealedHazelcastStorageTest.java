package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.testing.StorageContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage semantics on the real thing: the storage contract's rows run against sealed storage over
 * a Hazelcast member, and nothing enters the map in clear.
 */
class SealedHazelcastStorageTest extends StorageContract {
    @RegisterExtension
    static final LoneMember MEMBER = new LoneMember();

    @Override
    protected Storage storage() {
        return MEMBER.node().storage();
    }

    @Test
    void valuesAreSealedInsideHazelcast() {
        String secret = "s3cr3t-" + UUID.randomUUID();
        storage().put("roles/sealed", bytes(secret));
        IMap<String, byte[]> raw = MEMBER.node().hazelcast().getMap(MemberConfigs.KV_MAP);
        byte[] stored = raw.get("roles/sealed");
        assertFalse(contains(stored, bytes(secret)), "plaintext found in the map");
        assertFalse(contains(stored, bytes(secret.substring(7))), "plaintext found in the map");
        assertEquals(secret, text(storage().get("roles/sealed")));

        // The same sealed bytes under another key do not open.
        raw.set("roles/moved", stored);
        assertThrows(BarrierException.class, () -> storage().get("roles/moved"));
    }

    @Test
    void nodeBasics() {
        assertDoesNotThrow(() -> UUID.fromString(MEMBER.node().clusterId()));
        assertTrue(MEMBER.node().displayName().matches("vault-cluster-[0-9a-f]{8}"), MEMBER.node().displayName());
        assertEquals("127.0.0.1", MEMBER.node().hazelcast().getCluster().getLocalMember().getAddress().getHost());
        ClusterNode other = LocalCluster.start(1).get(0); // a cluster of its own, under another secret name
        try {
            assertEquals(1, other.hazelcast().getCluster().getMembers().size(), "clusters never merge");
            assertFalse(other.clusterId().equals(MEMBER.node().clusterId()));
            assertFalse(other.displayName().equals(MEMBER.node().displayName()));
        } finally {
            other.close();
            other.close(); // closing twice is fine
        }
        assertFalse(other.hazelcast().getLifecycleService().isRunning());
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
