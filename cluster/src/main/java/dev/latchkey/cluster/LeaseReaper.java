package dev.latchkey.cluster;

import dev.latchkey.engine.lease.LeaseManager;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
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
    /** Revocations over the network (dynamic keys) in parallel: each can wait on a dead host for a minute. */
    private static final int REVOKERS = 16;

    private final LeaseManager leases;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService revokers;

    public LeaseReaper(LeaseManager leases, long intervalMillis) {
        this.leases = leases;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("latchkey-lease-reaper"));
        this.revokers = Executors.newFixedThreadPool(REVOKERS, daemon("latchkey-lease-revoker"));
        scheduler.scheduleWithFixedDelay(this::sweep, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void sweep() {
        try {
            while (leases.revokeDue(BATCH, revokers) == BATCH) {
                // a full batch means more may be due: keep going
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "lease sweep failed, will retry: {0}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        revokers.shutdownNow();
    }
}
