package dev.latchkey.cluster.durable;

/** A durable store could not read or write; for a write, it may or may not have reached disk. */
public final class DurableStoreException extends RuntimeException {
    public DurableStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public DurableStoreException(String message) {
        super(message);
    }
}
