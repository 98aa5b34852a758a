package dev.latchkey.engine.storage;

import dev.latchkey.testing.StorageContract;

/** The hash-table memory storage for never-listed keys keeps every promise of {@link Storage} all the same. */
class UnorderedMemoryStorageTest extends StorageContract {
    private final MemoryStorage storage = MemoryStorage.unordered();

    @Override
    protected Storage storage() {
        return storage;
    }
}
