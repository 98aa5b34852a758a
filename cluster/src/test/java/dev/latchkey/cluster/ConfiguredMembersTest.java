package dev.latchkey.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.latchkey.testing.LeaseStoreContract.lease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Members of a configured cluster ({@link ClusterNode#joinSealed}) in one JVM: what one member's
 * write changes is what every other member reads as soon as the write returns, even while
 * Hazelcast's change events are held up; a keyring rotated on one member is in use on the other
 * at once; a member alone below its quorum refuses OTPs and leases with a 503.
 */
class ConfiguredMembersTest {
    private static final Pattern BULK = Pattern.compile("otp/.*");
    private static final Pattern CACHED = Pattern.compile("token/.*");

    private final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(ClusterNode::close);
    }

    private List<ClusterNode> members(int count, int quorum) throws IOException {
        List<String> addresses = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = FreePorts.next();
            ports.add(port);
            addresses.add("127.0.0.1:" + port);
        }
        Keyring keyring = Keyring.create(Randomness.bytes(32), Randomness.bytes(32), Instant.now());
        List<ClusterNode> started = new ArrayList<>();
        for (int port : ports) {
            ClusterNode n = ClusterNode.joinSealed(new MemberSpec("test-" + ports.get(0), "127.0.0.1", port, addresses, 1,
                    quorum, Map.of("latchkey.api_addr", "http://127.0.0.1:" + port)));
            nodes.add(n);
            started.add(n);
        }
        for (ClusterNode n : started) {
            n.barrier().unlock(keyring);
        }
        return started;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A listener on the raw map that holds up every change event for two seconds: a cache that
     * waited for its own event would still hand out the old value when the next read comes.
     */
    @Test
    void aWriteOnOneMemberIsWhatTheOtherReadsNextEvenWithEventsHeldUp() throws Exception {
        List<ClusterNode> m = members(2, 1);
        Storage a = m.get(0).storage(BULK, CACHED);
        Storage b = m.get(1).storage(BULK, CACHED);
        IMap<String, byte[]> raw = m.get(1).hazelcast().getMap(MemberConfigs.KV_MAP);
        raw.addEntryListener((EntryUpdatedListener<String, byte[]>) (EntryEvent<String, byte[]> e) -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }, false);

        for (int i = 0; i < 5; i++) {
            String key = "token/t" + i;
            a.put(key, bytes("live"));
            assertEquals("live", new String(b.get(key).orElseThrow(), StandardCharsets.UTF_8), "cached on b");
            a.put(key, bytes("revoked-" + i));
            assertEquals("revoked-" + i, new String(b.get(key).orElseThrow(), StandardCharsets.UTF_8),
                    "b reads the change as soon as a's write returned");
            a.delete(key);
            assertTrue(b.get(key).isEmpty(), "and a deletion");
        }
    }

    @Test
    void aKeyringRotatedOnOneMemberSealsNewValuesOnTheOther() throws Exception {
        List<ClusterNode> m = members(2, 1);
        ClusterNode a = m.get(0);
        ClusterNode b = m.get(1);
        KeyringStore keyrings = new KeyringStore(a.physical());
        keyrings.persist(a.barrier().keyring());
        Keyring rotated = a.barrier().keyring().withNewTerm(Randomness.bytes(32), Instant.now());
        keyrings.persist(rotated);
        a.barrier().install(rotated);
        assertEquals(2, b.barrier().keyring().activeTerm(), "b took the stored keyring before persist returned");
        b.storage().put("after", bytes("sealed with term 2"));
        assertEquals("sealed with term 2", new String(a.storage().get("after").orElseThrow(), StandardCharsets.UTF_8));
    }

    /**
     * A taken OTP leaves a marker that reads as nothing and cannot be taken again; a deletion
     * leaves one for an hour; a new value replaces a deletion's marker, and listings skip markers.
     */
    @Test
    void takingAnOtpLeavesAConsumedMarkerUntilItIsDeleted() throws Exception {
        List<ClusterNode> m = members(2, 1);
        Storage a = m.get(0).storage(BULK, CACHED);
        Storage b = m.get(1).storage(BULK, CACHED);
        a.put("otp/h1", bytes("binding"));
        assertEquals("binding", new String(b.take("otp/h1").orElseThrow(), StandardCharsets.UTF_8));
        assertTrue(a.take("otp/h1").isEmpty(), "taken once");
        assertTrue(a.get("otp/h1").isEmpty(), "the marker reads as no value");
        IMap<String, byte[]> raw = m.get(0).hazelcast().getMap(MemberConfigs.BULK_MAP);
        assertEquals(0, raw.get("otp/h1").length, "but it is there");

        a.put("token/t1", bytes("live"));
        a.put("token/t2", bytes("live"));
        a.delete("token/t1"); // revoked
        IMap<String, byte[]> kv = m.get(0).hazelcast().getMap(MemberConfigs.KV_MAP);
        assertEquals(0, kv.get("token/t1").length, "a deletion leaves a marker");
        assertTrue(kv.getEntryView("token/t1").getTtl() > 0, "for a while");
        assertTrue(b.get("token/t1").isEmpty());
        assertEquals(List.of("t2"), b.list("token/"), "listings skip it");
        assertTrue(b.putIfAbsent("token/t1", bytes("new")), "an insert takes its place");
        assertEquals("new", new String(a.get("token/t1").orElseThrow(), StandardCharsets.UTF_8));
        a.update("token/t1", v -> null);
        assertTrue(b.get("token/t1").isEmpty() && kv.get("token/t1").length == 0, "an update to nothing marks too");
    }

    @Test
    void aMemberBelowItsQuorumRefusesOtpsAndLeasesWith503() throws Exception {
        List<ClusterNode> m = members(1, 2); // a cluster of two members, only one of which runs
        Storage storage = m.get(0).storage(BULK, CACHED);
        EngineException otp = assertThrows(EngineException.class, () -> storage.put("otp/x", bytes("1")));
        assertEquals(EngineException.Kind.UNAVAILABLE, otp.kind());
        assertTrue(otp.getMessage().startsWith("no quorum"), otp.getMessage());
        EngineException leases = assertThrows(EngineException.class,
                () -> m.get(0).leaseStore().put(lease("ssh/creds/web/1", "", System.currentTimeMillis() + 60_000)));
        assertEquals(EngineException.Kind.UNAVAILABLE, leases.kind());
        storage.put("token/still-served", bytes("yes")); // the rest of the storage does not need one
    }
}
