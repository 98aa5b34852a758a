package dev.latchkey.cluster.durable;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The seam in front of each storage library: one transaction at a time, called from the single
 * flusher thread of {@link GroupCommit} (and from start-up), so an implementation needs no
 * locking of its own.
 */
public interface DurableBackend extends AutoCloseable {
    /**
     * Applies the changes in list order as one transaction and returns only once it is on stable
     * storage; all or nothing.
     */
    void commit(List<DurableChange> changes) throws Exception;

    void loadAll(Space space, BiConsumer<String, byte[]> sink) throws Exception;

    @Override
    void close() throws Exception;
}
