package dev.latchkey.api.metrics;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Times one store's writes into {@code latchkey_storage_write_duration_seconds}, failed ones too. */
final class WriteTimer {
    private final Metrics metrics;
    private final String store;

    WriteTimer(Metrics metrics, String store) {
        this.metrics = metrics;
        this.store = store;
    }

    <T> T time(String op, Supplier<T> write) {
        long started = System.nanoTime();
        try {
            return write.get();
        } finally {
            metrics.storageWrite(store, op, System.nanoTime() - started);
        }
    }

    void run(String op, Runnable write) {
        long started = System.nanoTime();
        try {
            write.run();
        } finally {
            metrics.storageWrite(store, op, System.nanoTime() - started);
        }
    }

    /** A write in flight, timed until its stage completes. */
    <T> CompletionStage<T> timeAsync(String op, Supplier<CompletionStage<T>> write) {
        long started = System.nanoTime();
        return write.get().whenComplete((r, e) -> metrics.storageWrite(store, op, System.nanoTime() - started));
    }
}
