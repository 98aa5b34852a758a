package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.testing.StorageContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The storage of a configured cluster's maps, whose removals leave markers, keeps every storage
 * promise on a real member: the contract's rows, where every key deleted or taken is a marker that
 * no read, listing or page may show.
 */
class MarkedHazelcastStorageTest extends StorageContract {
    @RegisterExtension
    static final LoneMember MEMBER = new LoneMember();

    /** A map of its own: the member's KV map holds the seal's records of its node. */
    private static IMap<String, byte[]> map() {
        return MEMBER.node().hazelcast().getMap("marked-kv");
    }

    @Override
    protected Storage storage() {
        return new HazelcastStorage(map(), true);
    }

    @Test
    void aFolderOfMarkersIsNoChild() {
        storage().put("certs/a", bytes("a"));
        storage().put("certs/old/1", bytes("1"));
        storage().put("certs/z", bytes("z"));
        storage().delete("certs/old/1");
        assertArrayEquals(HazelcastStorage.MARKER, map().get("certs/old/1"), "the deletion left a marker");
        assertEquals(List.of("a", "z"), storage().listPage("certs/", "", 10));
        assertEquals(List.of("z"), storage().listPage("certs/", "a", 1));
    }
}
