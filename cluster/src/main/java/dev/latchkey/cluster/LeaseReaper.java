package dev.latchkey.cluster;

import dev.latchkey.engine.lease.LeaseManager;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Revokes expired leases on a schedule. Each member only sees the due leases of partitions it
 * owns ({@link dev.latchkey.engine.lease.LeaseStore#dueIds}), so every lease is reaped by one member;
 * after a member dies its partitions, and their leases, move to the survivors.
 */
public final class LeaseReaper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaseReaper.class.getName());
    private static final int BATCH = 500;

    private final ScheduledExecutorService scheduler;

    public LeaseReaper(LeaseManager leases, long intervalMillis) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "latchkey-lease-reaper");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> sweep(leases), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private static void sweep(LeaseManager leases) {
        try {
            while (leases.revokeDue(BATCH) == BATCH) {
                // a full batch means more may be due: keep going
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "lease sweep failed, will retry: {0}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
