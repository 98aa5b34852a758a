package dev.latchkey.engine.storage;

/**
 * A stored record that cannot be read back: not the caller's fault, and not something a retry
 * fixes. Listings skip such records (as Vault leaves an unreadable role out of {@code key_info});
 * anything else lets it surface as a server error.
 */
public final class CorruptRecordException extends RuntimeException {
    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
