package dev.latchkey.api.hostile;

import dev.latchkey.testing.FreePorts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server in its own process ({@code java <flags> -jar latchkey.jar server -dev ...}).
 * A thread drains its output into a log file and keeps the last lines for failure messages; the
 * root token is masked in both.
 */
final class ServerProcess implements AutoCloseable {
    private static final int TAIL_LINES = 12;

    private final Process process;
    private final int port;
    private final String rootToken;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread drainer;

    private ServerProcess(Process process, int port, String rootToken, Path log) {
        this.process = process;
        this.port = port;
        this.rootToken = rootToken;
        this.drainer = new Thread(() -> drain(log), "latchkey-server-output");
        drainer.setDaemon(true);
        drainer.start();
    }

    /** Starts the server on a free loopback port and waits for its banner. */
    static ServerProcess start(Path jar, List<String> jvmFlags, String rootToken, Path log, Duration startup)
            throws IOException, InterruptedException {
        int port = FreePorts.next();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString(), "server", "-dev", "-dev-root-token-id=" + rootToken,
                "-dev-listen-address=127.0.0.1:" + port));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ServerProcess server = new ServerProcess(p, port, rootToken, log);
        if (!server.ready.await(startup.toSeconds(), TimeUnit.SECONDS)) {
            server.close();
            throw new IllegalStateException("the server printed no root token within " + RawHttp.seconds(startup)
                    + (p.isAlive() ? "" : " and exited with code " + p.exitValue()) + "; its output ended with:\n"
                    + server.tail());
        }
        return server;
    }

    private void drain(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                String masked = line.replace(rootToken, "<root token>");
                out.println(masked);
                synchronized (tail) {
                    tail.addLast(masked);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                if (line.startsWith("Root Token:")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            synchronized (tail) {
                tail.addLast("(reading the server's output failed: " + e + ")");
            }
        }
    }

    int port() {
        return port;
    }

    String rootToken() {
        return rootToken;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Why the server is gone, with its last output; for failure messages. */
    String notRunning(String since) {
        return "server not running: the process exited with code " + process.exitValue() + " " + since
                + "; its output ended with:\n" + tail();
    }

    /** The last lines the server printed. */
    String tail() {
        try {
            if (!isAlive()) {
                drainer.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (tail) {
            return "    " + String.join("\n    ", tail);
        }
    }

    /** SIGTERM, as a service manager stops it; true if it exited within {@code within}. */
    boolean terminate(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitCode() {
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
