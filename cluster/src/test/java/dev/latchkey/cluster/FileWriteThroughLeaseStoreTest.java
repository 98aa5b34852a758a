package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.sqlite.SqliteStore;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.testing.LeaseStoreContract;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** A standalone node on {@code file} storage keeps every promise of {@link LeaseStore}. */
class FileWriteThroughLeaseStoreTest extends LeaseStoreContract {
    private ClusterNode node;

    @Override
    protected LeaseStore emptyStore() {
        try {
            node = ClusterNode.startStandalone(SqliteStore.open(Files.createTempDirectory("latchkey-file")), Barrier.withRandomKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return node.leaseStore();
    }

    @AfterEach
    void stop() {
        node.close();
    }
}
