package dev.latchkey.engine.storage;

import dev.latchkey.testing.StorageContract;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The memory storage keeps every promise of {@link Storage} (the contract's rows) and copies values. */
class MemoryStorageTest extends StorageContract {
    private final MemoryStorage storage = new MemoryStorage();

    @Override
    protected Storage storage() {
        return storage;
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] stored = bytes("v1");
        storage.put("k", stored);
        stored[0] = 'X';                          // the caller's array, after put
        storage.get("k").orElseThrow()[0] = 'Y';  // an array that get returned
        assertEquals("v1", text(storage.get("k")));
        storage.update("k", current -> bytes("v2"))[0] = 'Z'; // the array that update returned
        assertEquals("v2", text(storage.get("k")));
        assertEquals(List.of("k"), storage.keys());
    }

    /**
     * A page from the middle of 200,000 keys is the listing's slice there: every thousandth leaf
     * {@code n} has a folder {@code n/} of two keys after it, which the page shows once each.
     */
    @Test
    void aPageFromTheMiddleOfManyKeysIsTheListingsSlice() {
        for (int i = 0; i < 200_000; i++) {
            String leaf = String.format("big/%06d", i);
            storage.put(leaf, bytes("v"));
            if (i % 1000 == 0) {
                storage.put(leaf + "/x", bytes("v"));
                storage.put(leaf + "/y", bytes("v"));
            }
        }
        List<String> listing = storage.list("big/");
        assertEquals(200_200, listing.size());
        // after a leaf, a folder, and a string inside a folder (whose page starts past the folder): the child each follows
        Map<String, String> follows = Map.of("099950", "099950", "100000", "100000", "100000/", "100000/",
                "100000/x", "100000/");
        follows.forEach((after, child) -> {
            int from = listing.indexOf(child) + 1;
            assertEquals(listing.subList(from, from + 100), storage.listPage("big/", after, 100), "after " + after);
        });
        assertEquals(List.of("099999", "100000", "100000/", "100001"), storage.listPage("big/", "099998", 4));
    }
}
