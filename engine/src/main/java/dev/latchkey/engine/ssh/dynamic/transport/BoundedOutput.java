package dev.latchkey.engine.ssh.dynamic.transport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the first bytes a remote command writes and drops the rest, so a chatty host costs no memory. */
final class BoundedOutput extends OutputStream {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int limit;

    BoundedOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        if (kept.size() < limit) {
            kept.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = limit - kept.size();
        if (room > 0) {
            kept.write(b, off, Math.min(room, len));
        }
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8).strip();
    }

    /** {@code ": <what the host said>"}, or nothing when it said nothing. */
    String suffix() {
        String t = text();
        return t.isEmpty() ? "" : ": " + t.replace('\n', ' ');
    }
}
