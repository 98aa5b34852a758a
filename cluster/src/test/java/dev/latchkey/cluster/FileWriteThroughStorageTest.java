package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.sqlite.SqliteStore;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.testing.StorageContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Pattern;

/** A standalone node on {@code file} storage keeps every promise of {@link Storage}, through its read cache too. */
class FileWriteThroughStorageTest extends StorageContract {
    private static ClusterNode node;
    private static Storage server;

    @BeforeAll
    static void start() throws IOException {
        node = ClusterNode.startStandalone(SqliteStore.open(Files.createTempDirectory("latchkey-file")), Barrier.withRandomKey());
        server = node.storage(Pattern.compile("bulk/.*"), Pattern.compile(".*"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Override
    protected Storage storage() {
        return server;
    }

}
