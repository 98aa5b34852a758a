package dev.latchkey.api.audit;

import java.io.IOException;

/**
 * Where audit entries go: one line per entry. Writes from many request threads may interleave
 * only between lines, never inside one. A device that cannot write throws, and the audit log
 * decides what that means for the request.
 */
interface AuditDevice extends AutoCloseable {
    /**
     * Appends one entry: {@code length} bytes of {@code line}, a JSON object in UTF-8 and its line
     * end. The array is the caller's and is reused once this returns.
     */
    void write(byte[] line, int length) throws IOException;

    /** Closes and opens the destination again (a file moved away by log rotation). */
    void reopen() throws IOException;

    @Override
    void close();
}
