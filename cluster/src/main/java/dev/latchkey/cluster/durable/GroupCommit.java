package dev.latchkey.cluster.durable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link DurableStore} over a {@link DurableBackend} with group commit: writers enqueue their
 * changes and wait; one flusher thread takes everything queued, commits it as one transaction
 * (one sync), and then releases every writer of the batch. While a sync runs the next batch
 * gathers, so 32 writers cost about one sync per round instead of 32: the sync, not the write,
 * is what a durable store pays for.
 *
 * <p>Batches keep the queue's order, and a batch's changes are handed to the backend in that
 * order, so writes to one key land in the order they were enqueued. A failed commit is retried
 * (every change is a put or a delete, so repeating one is harmless) for a few seconds, then
 * fails every writer of the batch; later writes try again.
 */
public final class GroupCommit implements DurableStore {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    /** Enough to carry any burst a node sees in one sync; bounds a transaction's size. */
    private static final int MAX_WRITES_PER_BATCH = 4096;
    private static final long RETRY_FOR_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());

    private record Pending(List<DurableChange> changes, CompletableFuture<Void> done) {
    }

    private final DurableBackend backend;
    private final String name;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread flusher;
    private volatile boolean closed;

    /**
     * @param backend owned from now on: {@link #close()} closes it
     * @param name    what the store is, for the flusher thread's name and log lines (no secrets)
     */
    public GroupCommit(DurableBackend backend, String name) {
        this.backend = backend;
        this.name = name;
        this.flusher = new Thread(this::flushLoop, "durable-flusher-" + name);
        flusher.setDaemon(true);
        flusher.start();
    }

    @Override
    public void write(List<DurableChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Pending pending = enqueue(changes);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    pending.done().get();
                    return;
                } catch (InterruptedException e) {
                    // the write is on its way and cannot be recalled: wait for its outcome
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new DurableStoreException("the " + name + " store could not write", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Completes on the flusher thread, once the batch holding the changes is committed. */
    @Override
    public CompletableFuture<Void> writeAsync(List<DurableChange> changes) {
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        enqueue(changes).done().whenComplete((ok, failure) -> {
            if (failure == null) {
                written.complete(null);
            } else {
                written.completeExceptionally(new DurableStoreException("the " + name + " store could not write", failure));
            }
        });
        return written;
    }

    private Pending enqueue(List<DurableChange> changes) {
        Pending pending = new Pending(List.copyOf(changes), new CompletableFuture<>());
        synchronized (this) { // so that nothing is enqueued after close's STOP
            if (closed) {
                throw new DurableStoreException("the " + name + " store is closed");
            }
            queue.add(pending);
        }
        return pending;
    }

    @Override
    public void loadAll(Space space, BiConsumer<String, byte[]> sink) {
        try {
            backend.loadAll(space, sink);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DurableStoreException("the " + name + " store could not be read", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (flusher.isAlive()) {
            try {
                flusher.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            backend.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing the {0} store: {1}", new Object[] {name, e.toString()});
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushLoop() {
        List<Pending> batch = new ArrayList<>();
        List<DurableChange> changes = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            batch.clear();
            changes.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close stops the flusher, and it does so through the queue
            }
            queue.drainTo(batch, MAX_WRITES_PER_BATCH - 1);
            for (Pending p : batch) {
                if (p == STOP) {
                    stop = true; // nothing is enqueued after STOP, so this batch is the last
                } else {
                    changes.addAll(p.changes());
                }
            }
            if (changes.isEmpty()) {
                continue;
            }
            Exception failure = commitWithRetry(changes);
            for (Pending p : batch) {
                if (failure == null) {
                    p.done().complete(null);
                } else {
                    p.done().completeExceptionally(failure);
                }
            }
        }
    }

    private Exception commitWithRetry(List<DurableChange> changes) {
        long deadline = System.nanoTime() + RETRY_FOR_NANOS;
        long pauseMillis = 10;
        while (true) {
            try {
                backend.commit(changes);
                return null;
            } catch (Exception e) {
                if (System.nanoTime() - deadline >= 0 || closed) {
                    // the cause's text, never the values: they are sealed, but a log is no place for them
                    LOG.log(Level.SEVERE, "the {0} store failed to commit {1} changes: {2}",
                            new Object[] {name, changes.size(), e.toString()});
                    return e;
                }
                LOG.log(Level.WARNING, "the {0} store failed to commit, retrying: {1}", new Object[] {name, e.toString()});
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException ignored) {
                    // the flusher is stopped only through the queue
                }
                pauseMillis = Math.min(pauseMillis * 2, 500);
            }
        }
    }
}
