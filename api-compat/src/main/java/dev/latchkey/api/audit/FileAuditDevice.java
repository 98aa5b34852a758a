package dev.latchkey.api.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Vault's {@code file} audit device: appends each entry as one line (after the configured prefix)
 * to a file created with the configured mode, or to standard output, or nowhere ({@code discard}).
 * Each line is written and flushed whole under one lock, so lines never interleave.
 */
final class FileAuditDevice implements AuditDevice {
    private final String target;
    private final Set<PosixFilePermission> mode;
    private final byte[] prefixBytes;
    private OutputStream out;

    /**
     * @param target a file path, {@code stdout} or {@code discard}
     * @param mode   the file's permissions, or null to keep an existing file's ({@code mode=0000})
     */
    FileAuditDevice(String target, Set<PosixFilePermission> mode, String prefix) throws IOException {
        this.target = target;
        this.mode = mode;
        this.prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        open();
    }

    private void open() throws IOException {
        if (target.equalsIgnoreCase("stdout") || target.equalsIgnoreCase("discard")) {
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
    public synchronized void write(byte[] json) throws IOException {
        if (target.equalsIgnoreCase("discard")) {
            return;
        }
        byte[] bytes = new byte[prefixBytes.length + json.length + 1];
        System.arraycopy(prefixBytes, 0, bytes, 0, prefixBytes.length);
        System.arraycopy(json, 0, bytes, prefixBytes.length, json.length);
        bytes[bytes.length - 1] = '\n';
        if (target.equalsIgnoreCase("stdout")) {
            System.out.write(bytes);
            System.out.flush();
            return;
        }
        if (out == null) {
            open(); // a reopen failed earlier: try again
        }
        out.write(bytes);
        out.flush();
    }

    @Override
    public synchronized void reopen() throws IOException {
        close();
        open();
    }

    @Override
    public synchronized void close() {
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
