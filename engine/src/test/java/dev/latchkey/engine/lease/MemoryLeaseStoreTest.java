package dev.latchkey.engine.lease;

import dev.latchkey.testing.LeaseStoreContract;

/** The memory lease store keeps every promise of {@link LeaseStore} (the contract's rows). */
class MemoryLeaseStoreTest extends LeaseStoreContract {
    @Override
    protected LeaseStore emptyStore() {
        return new MemoryLeaseStore();
    }
}
