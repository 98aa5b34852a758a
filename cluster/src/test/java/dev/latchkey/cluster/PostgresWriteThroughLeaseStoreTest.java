package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.postgres.PostgresStore;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.testing.LeaseStoreContract;
import dev.latchkey.testing.LocalPostgres;
import org.junit.jupiter.api.AfterEach;

/** A standalone node on {@code postgresql} storage (a real server) keeps every promise of {@link LeaseStore}. */
class PostgresWriteThroughLeaseStoreTest extends LeaseStoreContract {
    private ClusterNode node;

    @Override
    protected LeaseStore emptyStore() {
        node = ClusterNode.startStandalone(PostgresStore.open(LocalPostgres.url(), LocalPostgres.freshTable()), Barrier.withRandomKey());
        return node.leaseStore();
    }

    @AfterEach
    void stop() {
        node.close();
    }
}
