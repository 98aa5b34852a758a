package dev.latchkey.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

/** Files for tests: text in and out, owner-only secrets, and a scratch directory removed at exit. */
public final class TestFiles {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestFiles() {
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** Writes text, creating the parent directories. */
    public static Path write(Path file, String text) {
        createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new AssertionError("cannot write " + file, e);
        }
    }

    public static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError("cannot create " + dir, e);
        }
    }

    /** Writes text to a file that only its owner may read, as ssh and ssh-keygen insist for private keys. */
    public static Path writePrivate(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new AssertionError("cannot write " + file, e);
        }
    }

    /** A path no one has used yet in the scratch directory, ending in {@code suffix}. */
    public static Path fresh(String suffix) {
        return scratch().resolve("f-" + COUNTER.incrementAndGet() + "-" + suffix);
    }

    /** One temporary directory per test JVM, deleted when the JVM exits. */
    public static Path scratch() {
        return Scratch.DIR;
    }

    /** Created on first use only: class initialisation is lazy and thread-safe. */
    private static final class Scratch {
        static final Path DIR = create();

        private static Path create() {
            try {
                Path dir = Files.createTempDirectory("latchkey-test-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                return dir;
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temporary directory
        }
    }
}
