package dev.latchkey.engine.ssh.inventory;

import java.util.function.LongSupplier;

/**
 * The inventory's periodic work: a new KRL once a revoked certificate has expired (its serial
 * dropped), and, once an hour across all nodes, a tidy of records past their retention.
 */
public final class Upkeep {
    /** How often the records are tidied, at most, by whichever node claims it first. */
    static final long TIDY_INTERVAL_SECONDS = 3600;

    private final Inventory inventory;
    private final KrlPublisher krl;
    private final LongSupplier clockMillis;

    public Upkeep(Inventory inventory, KrlPublisher krl, LongSupplier clockMillis) {
        this.inventory = inventory;
        this.krl = krl;
        this.clockMillis = clockMillis;
    }

    public void run() {
        long now = clockMillis.getAsLong() / 1000;
        krl.refreshIfExpired(now);
        if (inventory.claimPeriodicTidy(now, TIDY_INTERVAL_SECONDS)) {
            inventory.tidy(now, CertsPath.TIDY_MAX);
        }
    }
}
