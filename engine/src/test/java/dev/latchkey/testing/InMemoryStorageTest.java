package dev.latchkey.testing;

import dev.latchkey.engine.storage.Storage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The in-memory storage keeps every promise of {@link Storage} (the contract's rows) and copies values. */
class InMemoryStorageTest extends StorageContract {
    private final InMemoryStorage storage = new InMemoryStorage();

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
