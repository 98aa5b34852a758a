package dev.latchkey.cluster;

import dev.latchkey.engine.storage.MemoryStorage;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.testing.StorageContract;
import org.junit.jupiter.api.AfterAll;

import java.util.regex.Pattern;

/** The storage a standalone server runs on — sealed memory behind a read cache — keeps every storage promise. */
class StandaloneServerStorageTest extends StorageContract {
    private static final ClusterNode NODE = ClusterNode.standalone(new MemoryStorage(), Barrier.withRandomKey());
    /** Every key cacheable, so that each promise is checked through the cache. */
    private static final Storage SERVER = NODE.storage(Pattern.compile("bulk/.*"), Pattern.compile(".*"));

    @AfterAll
    static void stop() {
        NODE.close();
    }

    @Override
    protected Storage storage() {
        return SERVER;
    }
}
