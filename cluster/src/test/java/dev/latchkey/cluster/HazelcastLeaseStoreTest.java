package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.testing.LeaseStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease store contract's rows on a Hazelcast member, and what only the clustered store does:
 * sealed bodies, clear index fields checked against them, and the audit.
 */
class HazelcastLeaseStoreTest extends LeaseStoreContract {
    @RegisterExtension
    static final LoneMember MEMBER = new LoneMember();

    private static ClusterNode node;
    private static LeaseStore leases;

    @Override
    protected LeaseStore emptyStore() {
        node = MEMBER.node();
        leases = node.leaseStore();
        node.hazelcast().getMap(MemberConfigs.LEASE_MAP).clear();
        return leases;
    }

    /**
     * Someone who reaches the map edits a clear index field: every read notices, takes the sealed
     * values, and makes the lease due at once (never later than it was), for the reaper to revoke.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            due time pushed out    | 9000000000000 | acc-1
            due time pulled in     | 1             | acc-1
            token accessor changed | 1700000000000 | acc-other
            """)
    void anEditedIndexFieldIsCaughtOnRead(String what, long editedDue, String editedAccessor) {
        Lease lease = lease("ssh/creds/web/t", "acc-1", NOW);
        leases.put(lease);
        IMap<String, LeaseEntry> raw = node.hazelcast().getMap(MemberConfigs.LEASE_MAP);
        raw.set(lease.id(), new LeaseEntry(editedDue, editedAccessor, raw.get(lease.id()).body()));

        Lease read = leases.get(lease.id()).orElseThrow();
        assertEquals(lease, read, "the sealed values, due no later than before");
        assertEquals(NOW, raw.get(lease.id()).dueTime());
        assertEquals("acc-1", raw.get(lease.id()).tokenAccessor());
        assertEquals(List.of(lease.id()), leases.idsByToken("acc-1"));
        assertEquals(List.of(lease.id()), leases.dueIds(NOW, 10));
    }

    /** A lease nobody reads because its edited index hides it is found by the audit, and made due now. */
    @Test
    void theAuditFindsALeaseHiddenByAnEditedIndex() {
        long future = System.currentTimeMillis() + 3_600_000;
        Lease lease = lease("ssh/creds/web/hidden", "acc-1", future);
        leases.put(lease);
        leases.put(lease("ssh/creds/web/honest", "acc-1", future));
        IMap<String, LeaseEntry> raw = node.hazelcast().getMap(MemberConfigs.LEASE_MAP);
        raw.set(lease.id(), new LeaseEntry(Long.MAX_VALUE, "acc-elsewhere", raw.get(lease.id()).body()));
        assertEquals(List.of("ssh/creds/web/honest"), leases.idsByToken("acc-1"));

        long before = System.currentTimeMillis();
        assertEquals(1, ((HazelcastLeaseStore) leases).auditAll());
        LeaseEntry repaired = raw.get(lease.id());
        assertEquals("acc-1", repaired.tokenAccessor());
        assertTrue(repaired.dueTime() >= before && repaired.dueTime() <= System.currentTimeMillis(), "due now");
        assertEquals(List.of(lease.id()), leases.dueIds(System.currentTimeMillis(), 10));
        assertEquals(List.of("ssh/creds/web/hidden", "ssh/creds/web/honest"), leases.idsByToken("acc-1"));
        assertEquals(lease.expireTime(), leases.get(lease.id()).orElseThrow().expireTime());
        assertEquals(0, ((HazelcastLeaseStore) leases).auditAll());
    }

    /** The audit walks a member's leases in slices of about a thousand, one slice per reaper tick. */
    @Test
    void theAuditCoversEveryLeaseInSlices() {
        int count = 2500;
        for (int i = 0; i < count; i++) {
            leases.put(lease("ssh/creds/bulk/" + i, "acc-b", NOW));
        }
        HazelcastLeaseStore store = (HazelcastLeaseStore) leases;
        assertEquals(0, store.auditAll()); // also ends any pass an earlier test left half done
        IMap<String, LeaseEntry> raw = node.hazelcast().getMap(MemberConfigs.LEASE_MAP);
        for (int i = 0; i < count; i += 500) {
            String id = "ssh/creds/bulk/" + i;
            raw.set(id, new LeaseEntry(NOW, "acc-x", raw.get(id).body()));
        }
        assertEquals(count / 500, store.auditAll());
        assertEquals(0, store.auditAll());
        for (int i = 0; i < count; i += 500) {
            String id = "ssh/creds/bulk/" + i;
            assertEquals("acc-b", raw.get(id).tokenAccessor(), id);
        }
        assertEquals(count, leases.idsByToken("acc-b").size());
    }

    @Test
    void leaseBodyIsSealedInsideHazelcast() {
        Lease lease = new Lease("ssh/creds/web/q", "m", "secret_otp_type", Map.of("otp_hash", "distinctive-hash-7731"),
                "acc-9", NOW, NOW, 0, false, 0, "", NOW);
        leases.put(lease);
        IMap<String, LeaseEntry> raw = node.hazelcast().getMap(MemberConfigs.LEASE_MAP);
        LeaseEntry entry = raw.get(lease.id());
        assertEquals(NOW, entry.dueTime());
        assertEquals("acc-9", entry.tokenAccessor());
        assertFalse(SealedHazelcastStorageTest.contains(entry.body(),
                "distinctive-hash-7731".getBytes(StandardCharsets.UTF_8)));
        assertFalse(SealedHazelcastStorageTest.contains(entry.body(),
                "secret_otp_type".getBytes(StandardCharsets.UTF_8)));
    }
}
