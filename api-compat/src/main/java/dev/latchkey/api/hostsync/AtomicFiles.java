package dev.latchkey.api.hostsync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that sshd reads at any moment, replaced so that it only ever sees the old file or the new
 * one, whole: the new content goes to a temporary file in the same directory, reaches the disk,
 * and is renamed over the old one; a power cut leaves one or the other, never a torn or empty
 * file (an unreadable {@code RevokedKeys} file makes sshd refuse every key).
 */
final class AtomicFiles {
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    private AtomicFiles() {
    }

    /** Creates {@code dir} (and its parents) unless it exists; a directory it creates is 0755. */
    static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        // set after creating, because the process's umask narrows permissions given at creation
        setPermissions(dir, DIRECTORY);
    }

    /** Replaces {@code target} with {@code content} (mode 0644) in one rename; no temporary file survives a failure. */
    static void replace(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // sshd runs as root but ssh reads RevokedHostKeys as the user; the temp file starts 0600
                setPermissions(temp, WORLD_READABLE);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    /** Removes {@code file} if it exists, durably. */
    static void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            syncDirectory(file.toAbsolutePath().getParent());
        }
    }

    /**
     * Makes a rename or removal in {@code dir} durable. Some file systems cannot open or sync a
     * directory; there the change is as durable as they make it, which is no reason to fail.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the change stands; how durable it is, is up to the file system
        }
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }
}
