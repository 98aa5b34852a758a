package dev.latchkey.engine.ssh.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ssh-keygen} (TZ=UTC, so printed times are UTC) for cross-checks. */
final class SshKeygen {
    static final String BINARY = "/usr/bin/ssh-keygen";

    record Result(int exit, String stdout, String stderr) {
        Result ok() {
            assertEquals(0, exit, () -> "ssh-keygen failed: " + stderr);
            return this;
        }
    }

    private SshKeygen() {
    }

    static Result run(String... args) {
        return runWithInput(Path.of("/dev/null"), args);
    }

    /** As {@link #run} with standard input read from a file. */
    static Result runWithInput(Path input, String... args) {
        List<String> command = new ArrayList<>();
        command.add(BINARY);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TZ", "UTC");
        try {
            Path err = Files.createTempFile("ssh-keygen", ".err");
            try {
                pb.redirectError(err.toFile());
                pb.redirectInput(input.toFile());
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("ssh-keygen timed out: " + command);
                }
                return new Result(p.exitValue(), out, Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code ssh-keygen -t type [-b bits] -N '' [extra] -f dir/name}; returns the key path. */
    static Path generate(Path dir, String name, String type, int bits, String... extra) {
        Path key = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-q", "-t", type, "-N", "", "-C", "test@" + name));
        if (bits > 0) {
            args.addAll(List.of("-b", Integer.toString(bits)));
        }
        args.addAll(List.of(extra));
        args.addAll(List.of("-f", key.toString()));
        run(args.toArray(String[]::new)).ok();
        return key;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes text as an owner-only file, as ssh-keygen insists for private keys. */
    static Path writePrivate(Path p, String text) {
        try {
            Files.writeString(p, text);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path p, String text) {
        try {
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ssh-keygen -lf}: the SHA256 fingerprint token. */
    static String fingerprint(Path pub) {
        return run("-l", "-E", "sha256", "-f", pub.toString()).ok().stdout().split(" ")[1];
    }
}
