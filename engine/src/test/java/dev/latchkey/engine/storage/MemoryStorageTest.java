package dev.latchkey.engine.storage;

import dev.latchkey.testing.StorageContract;
import org.junit.jupiter.api.Test;

import java.util.List;

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
}
