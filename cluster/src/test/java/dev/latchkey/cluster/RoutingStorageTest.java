package dev.latchkey.cluster;

import dev.latchkey.engine.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk keys live in their own map, and listings and prefix deletes still see one storage. */
class RoutingStorageTest {
    private static ClusterNode node;
    private static Storage storage;

    @BeforeAll
    static void start() {
        node = LocalCluster.start(1).get(0);
        storage = node.storage(Pattern.compile("logical/[^/]+/otp/.*"), Pattern.compile("logical/[^/]+/roles/.*"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bulkKeysGoToTheirOwnMapAndBackOut() {
        storage.put("logical/m1/otp/aa", b("otp"));
        storage.put("logical/m1/roles/web", b("role"));
        assertFalse(node.hazelcast().getMap(MemberConfigs.KV_MAP).containsKey("logical/m1/otp/aa"));
        assertTrue(node.hazelcast().getMap(MemberConfigs.BULK_MAP).containsKey("logical/m1/otp/aa"));
        assertTrue(node.hazelcast().getMap(MemberConfigs.KV_MAP).containsKey("logical/m1/roles/web"));
        assertArrayEquals(b("otp"), storage.take("logical/m1/otp/aa").orElseThrow());
        assertTrue(storage.get("logical/m1/otp/aa").isEmpty());
    }

    @Test
    void listingsMergeBothMapsWhereBothCanHoldKeys() {
        storage.put("logical/m2/otp/bb", b("1"));
        storage.put("logical/m2/roles/r", b("2"));
        storage.put("logical/m2/salt", b("3"));
        assertEquals(List.of("otp/", "roles/", "salt"), storage.list("logical/m2/"));
        assertEquals(List.of("r"), storage.list("logical/m2/roles/"));
        assertEquals(List.of("bb"), storage.list("logical/m2/otp/"));
    }

    /** A page where both maps hold keys is the first of both maps' children together. */
    @Test
    void pagesMergeBothMapsWhereBothCanHoldKeys() {
        for (String key : List.of("otp/a1", "otp/a2", "roles/r1", "salt", "otp/a3")) {
            storage.put("logical/m4/" + key, b(key));
        }
        storage.put("logical/m4/otp/a4/nested", b("bulk, in a folder"));
        storage.put("logical/m4/otp/b", b("bulk"));
        assertEquals(List.of("otp/", "roles/"), storage.listPage("logical/m4/", "", 2));
        assertEquals(List.of("roles/", "salt"), storage.listPage("logical/m4/", "otp/", 5));
        assertEquals(List.of("a2", "a3", "a4/"), storage.listPage("logical/m4/otp/", "a1", 3));
        assertEquals(List.of("b"), storage.listPage("logical/m4/otp/", "a4/", 3));
        assertEquals(List.of("r1"), storage.listPage("logical/m4/roles/", "", 3));
    }

    @Test
    void aPrefixDeleteClearsBothMaps() {
        storage.put("logical/m3/otp/cc", b("1"));
        storage.put("logical/m3/roles/r", b("2"));
        storage.put("logical/m33/otp/dd", b("kept"));
        storage.deletePrefix("logical/m3/");
        assertTrue(storage.get("logical/m3/otp/cc").isEmpty());
        assertTrue(storage.get("logical/m3/roles/r").isEmpty());
        assertTrue(storage.get("logical/m33/otp/dd").isPresent(), "a sibling mount's OTPs stay");
    }
}
