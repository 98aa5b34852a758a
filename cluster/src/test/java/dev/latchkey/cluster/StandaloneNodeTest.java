package dev.latchkey.cluster;

import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.storage.MemoryStorage;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.testing.LeaseStoreContract;
import dev.latchkey.testing.StorageContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node on its own: no Hazelcast member, and storage that keeps the storage contract while
 * holding only sealed values (a single node on a local file must hold nothing else). That it opens
 * no port is checked on the packaged server, where one process is the node.
 */
class StandaloneNodeTest extends StorageContract {
    private static final MemoryStorage MEMORY = new MemoryStorage();
    private static final ClusterNode NODE = ClusterNode.standalone(MEMORY, Barrier.withRandomKey());

    @AfterAll
    static void stop() {
        NODE.close();
    }

    @Override
    protected Storage storage() {
        return NODE.storage();
    }

    @Test
    void runsNoHazelcastMember() {
        assertTrue(NODE.isStandalone());
        IllegalStateException e = assertThrows(IllegalStateException.class, NODE::hazelcast);
        assertEquals("a standalone node runs no Hazelcast member", e.getMessage());
    }

    @Test
    void valuesAreSealedInMemory() {
        String secret = "s3cr3t-" + UUID.randomUUID();
        storage().put("roles/sealed", bytes(secret));
        byte[] stored = MEMORY.get("roles/sealed").orElseThrow();
        assertFalse(SealedHazelcastStorageTest.contains(stored, bytes(secret)), "plaintext found in memory");
        assertFalse(SealedHazelcastStorageTest.contains(stored, bytes(secret.substring(7))), "plaintext found in memory");
        assertEquals(secret, text(storage().get("roles/sealed")));

        // The same sealed bytes under another key do not open.
        MEMORY.put("roles/moved", stored);
        assertThrows(BarrierException.class, () -> storage().get("roles/moved"));
    }

    /**
     * The server's view writes to the same sealed memory, bulk keys (OTPs) to a hash table of their
     * own, sealed as well, and keeps opened copies of read-mostly keys, so that a thousand-role
     * lookup does not decrypt a thousand values; its own writes keep those copies true.
     */
    @Test
    void theServersStorageWritesThroughAndKeepsOpenedCopies() {
        Storage server = NODE.storage(Pattern.compile("logical/[^/]+/otp/.*"), Pattern.compile("logical/[^/]+/roles/.*"));
        server.put("logical/m/otp/aa", bytes("otp"));
        assertTrue(MEMORY.get("logical/m/otp/aa").isEmpty(), "a bulk key is not among the sorted keys");
        byte[] sealed = NODE.bulkMemory().get("logical/m/otp/aa").orElseThrow();
        assertFalse(SealedHazelcastStorageTest.contains(sealed, bytes("otp")), "plaintext found in the bulk table");
        assertEquals("otp", text(server.get("logical/m/otp/aa")));
        assertEquals(List.of("aa"), server.list("logical/m/otp/"), "listed all the same, by a scan");
        assertEquals("otp", text(server.take("logical/m/otp/aa")));
        assertTrue(NODE.bulkMemory().get("logical/m/otp/aa").isEmpty());

        server.put("logical/m/roles/web", bytes("v1"));
        assertEquals("v1", text(server.get("logical/m/roles/web")));
        MEMORY.delete("logical/m/roles/web"); // behind the view's back, as nothing but a test does
        assertEquals("v1", text(server.get("logical/m/roles/web")), "served from the opened copy");
        server.put("logical/m/roles/web", bytes("v2"));
        assertEquals("v2", text(server.get("logical/m/roles/web")));
        server.delete("logical/m/roles/web");
        assertFalse(server.get("logical/m/roles/web").isPresent());
    }

    @Test
    void leasesAreKeptInMemory() {
        Lease lease = LeaseStoreContract.lease("ssh/creds/web/x", "acc-1", 1_000);
        NODE.leaseStore().put(lease);
        assertEquals(lease, NODE.leaseStore().get(lease.id()).orElseThrow());
        NODE.leaseStore().delete(lease.id());
    }

    @Test
    void eachNodeMakesItsOwnIdentityOnce() {
        assertDoesNotThrow(() -> UUID.fromString(NODE.clusterId()));
        assertTrue(NODE.displayName().matches("vault-cluster-[0-9a-f]{8}"), NODE.displayName());
        assertEquals(NODE.clusterId(), NODE.clusterId());
        ClusterNode other = ClusterNode.startStandalone();
        try {
            assertNotEquals(NODE.clusterId(), other.clusterId());
            assertNotEquals(NODE.displayName(), other.displayName());
        } finally {
            other.close();
            other.close(); // closing twice is fine
        }
    }
}
