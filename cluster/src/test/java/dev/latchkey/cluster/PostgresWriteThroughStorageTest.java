package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.postgres.PostgresStore;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.testing.LocalPostgres;
import dev.latchkey.testing.StorageContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.regex.Pattern;

/** A standalone node on {@code postgresql} storage (a real server) keeps every promise of {@link Storage}. */
class PostgresWriteThroughStorageTest extends StorageContract {
    private static ClusterNode node;
    private static Storage server;

    @BeforeAll
    static void start() {
        node = ClusterNode.startStandalone(PostgresStore.open(LocalPostgres.url(), LocalPostgres.freshTable()), Barrier.withRandomKey());
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
