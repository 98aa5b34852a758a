package dev.latchkey.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program with a deadline: stdin is {@code /dev/null} unless a file is given,
 * stdout and stderr go to temporary files (so a chatty program can never block on a full pipe) and
 * are returned as text. A program that outlives its deadline is killed with its children and the
 * test fails with what it printed.
 */
public final class Commands {
    private static final Path NO_INPUT = Path.of("/dev/null");

    private Commands() {
    }

    /** What a finished program left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Returns this result, failing the test unless the program exited with 0. */
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("command failed: " + describe());
            }
            return this;
        }

        /** A multi-line description for assertion messages. */
        public String describe() {
            return String.join(" ", command) + "\n  exit " + exitCode + "\n  stdout: " + stdout + "\n  stderr: " + stderr;
        }
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, Map.of(), NO_INPUT, List.of(command));
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, Map.of(), NO_INPUT, command);
    }

    /**
     * Runs {@code command} with extra environment variables and standard input read from
     * {@code stdin}; fails the test if it is not done within {@code timeout}.
     */
    public static Result run(Duration timeout, Map<String, String> env, Path stdin, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("latchkey-cmd-", ".out");
            err = Files.createTempFile("latchkey-cmd-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File(stdin.toString())))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n  stdout: " + Files.readString(out) + "\n  stderr: " + Files.readString(err));
            }
            return new Result(List.copyOf(command), p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Stops a process and everything it started: politely, then forcibly after a short grace period. */
    public static void kill(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
