package dev.latchkey.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the tests, started once per JVM with Debian's {@code initdb} and
 * {@code pg_ctl} in a temporary directory, on a free loopback port, and stopped when the JVM
 * exits. initdb refuses root, so as root the server runs as the {@code postgres} account. Shared by
 * the storage tests and the tests of servers configured with {@code storage "postgresql"}.
 */
public final class LocalPostgres {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static String url;

    private LocalPostgres() {
    }

    /** A Vault-style connection URL to a fresh database user's server. */
    public static synchronized String url() {
        if (url == null) {
            url = start();
        }
        return url;
    }

    /** A table name no other test has used in this JVM. */
    public static String freshTable() {
        return "t" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    }

    private static String start() {
        try {
            Path bin = Files.list(Path.of("/usr/lib/postgresql")).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed")).resolve("bin");
            Path dir = Files.createTempDirectory("latchkey-pg");
            Path data = dir.resolve("data");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()), false);
            }
            int port = FreePorts.next();
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "latchkey"), root);
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", dir.resolve("log").toString(),
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"), root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), root);
                } catch (IOException | InterruptedException ignored) {
                    // the JVM is exiting
                }
            }));
            return "postgres://latchkey@127.0.0.1:" + port + "/postgres?sslmode=disable";
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start PostgreSQL", e);
        }
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("failed: " + String.join(" ", full));
        }
    }
}
