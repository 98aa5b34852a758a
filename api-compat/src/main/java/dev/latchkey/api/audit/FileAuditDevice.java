package dev.latchkey.api.audit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Vault's {@code file} audit device: appends each entry as one line (after the configured prefix)
 * to a file created with the configured mode, or to standard output, or nowhere ({@code discard}).
 *
 * <p>Lines are group-written: a request appends its line to the batch being gathered (a copy under
 * a short lock) and waits until a write that holds it has returned, so it still learns whether its
 * entry was recorded (and a request is still refused when its entry was not). One request thread
 * at a time writes the batch gathered so far, with one system call, while the others go on
 * gathering the next. Under load this turns two writes per request into one per batch, and no
 * request waits behind a lock held across another's system call. Lines never interleave.
 */
final class FileAuditDevice implements AuditDevice {
    /** A batch's first buffer: two typical lines; it grows when more gather. */
    private static final int BATCH_START = 4 * 1024;

    private final String target;
    private final Set<PosixFilePermission> mode;
    private final byte[] prefixBytes;
    private final boolean discard;
    private final boolean stdout;

    /** Guards the batches and who is writing. */
    private final Object gather = new Object();
    /** The batch new lines go into. */
    private Batch current = new Batch();
    /** Whether a request thread is writing a batch now. */
    private boolean writing;
    /** Guards the stream: the writer's system call, and reopening. */
    private final Object io = new Object();
    private OutputStream out;

    /** Lines gathered for one write, and what became of it. */
    private static final class Batch {
        byte[] bytes = new byte[BATCH_START];
        int length;
        boolean done;
        IOException error;

        void append(byte[] prefix, byte[] line, int len) {
            int needed = length + prefix.length + len;
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
            }
            System.arraycopy(prefix, 0, bytes, length, prefix.length);
            System.arraycopy(line, 0, bytes, length + prefix.length, len);
            length = needed;
        }
    }

    /**
     * @param target a file path, {@code stdout} or {@code discard}
     * @param mode   the file's permissions, or null to keep an existing file's ({@code mode=0000})
     */
    FileAuditDevice(String target, Set<PosixFilePermission> mode, String prefix) throws IOException {
        this.target = target;
        this.mode = mode;
        this.prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        this.discard = target.equalsIgnoreCase("discard");
        this.stdout = target.equalsIgnoreCase("stdout");
        synchronized (io) {
            open();
        }
    }

    private void open() throws IOException {
        if (stdout || discard) {
            return;
        }
        Path file = Path.of(target);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        boolean existed = Files.exists(file);
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (mode != null) {
            Files.setPosixFilePermissions(file, mode);
        } else if (!existed) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Override
    public void write(byte[] line, int length) throws IOException {
        if (discard) {
            return;
        }
        Batch mine;
        synchronized (gather) {
            mine = current;
            mine.append(prefixBytes, line, length);
            try {
                while (writing && !mine.done) {
                    gather.wait(); // an earlier batch is being written; ours may be written by its writer's successor
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the audit entry was being written");
            }
            if (mine.done) {
                if (mine.error != null) {
                    throw mine.error;
                }
                return;
            }
            writing = true; // this thread writes every line gathered so far, its own among them
            current = new Batch();
        }
        IOException error = null;
        try {
            flush(mine);
        } catch (IOException e) {
            error = e;
        }
        synchronized (gather) {
            mine.done = true;
            mine.error = error;
            writing = false;
            gather.notifyAll();
        }
        if (error != null) {
            throw error;
        }
    }

    private void flush(Batch batch) throws IOException {
        synchronized (io) {
            if (stdout) {
                System.out.write(batch.bytes, 0, batch.length);
                System.out.flush();
                return;
            }
            if (out == null) {
                open(); // a reopen failed earlier: try again
            }
            out.write(batch.bytes, 0, batch.length);
            out.flush();
        }
    }

    @Override
    public void reopen() throws IOException {
        synchronized (io) {
            closeStream();
            open();
        }
    }

    @Override
    public void close() {
        synchronized (io) {
            closeStream();
        }
    }

    private void closeStream() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // closing what failed changes nothing
            }
            out = null;
        }
    }
}
