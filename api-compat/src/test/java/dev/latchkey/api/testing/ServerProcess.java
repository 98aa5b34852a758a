package dev.latchkey.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.testing.FreePorts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged server in a process of its own, started from a configuration file as an operator
 * starts it ({@code java -jar latchkey.jar server -config=FILE}), with its output in a log file
 * beside the configuration. Integration tests only: failsafe names the jar.
 */
public final class ServerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path config;
    private final Path log;
    private final String url;
    private final List<String> jvmOptions;
    private Process process;

    private ServerProcess(Path config, String url, List<String> jvmOptions) {
        this.config = config;
        this.log = config.resolveSibling(config.getFileName() + ".log");
        this.url = url;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** A status and a body as text. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** The jar failsafe built; skips the test when run outside the integration-test phase. */
    public static String jar() {
        String jar = System.getProperty("latchkey.jar");
        assumeTrue(jar != null, "runs in the integration-test phase, after the jar is packaged");
        return jar;
    }

    public static int freePort() {
        return FreePorts.next();
    }

    /** Starts the server on {@code config}, whose listener is {@code url}; does not wait for it. */
    public static ServerProcess start(Path config, String url) throws IOException {
        return start(config, url, List.of());
    }

    /** {@link #start(Path, String)} with more JVM options ({@code -Dlatchkey.…} pool sizes, say). */
    public static ServerProcess start(Path config, String url, List<String> jvmOptions) throws IOException {
        ServerProcess p = new ServerProcess(config, url, jvmOptions);
        p.launch();
        return p;
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar(), "server", "-config=" + config));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Starts it again on the same configuration, after it stopped or was killed. */
    public void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        launch();
    }

    /** Waits until it answers {@code sys/seal-status}. */
    public ServerProcess awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                if (call("GET", "sys/seal-status", null, null).status() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the server on " + config + " did not start:\n" + output());
            }
            Thread.sleep(200);
        }
    }

    public String url() {
        return url;
    }

    /** One request; {@code path} is below {@code /v1/}. */
    public Answer call(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/v1/" + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Vault-Token", token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** {@link #call}, failing unless the status is {@code expected}. */
    public Answer expect(int expected, String method, String path, String token, String body) throws Exception {
        Answer a = call(method, path, token, body);
        if (a.status() != expected) {
            throw new AssertionError(method + " " + url + "/v1/" + path + " answered " + a.status() + " " + a.body()
                    + ", not " + expected);
        }
        return a;
    }

    /** Unseals with these key shares, one request each. */
    public void unseal(List<String> keys) throws Exception {
        for (String key : keys) {
            expect(200, "PUT", "sys/unseal", null, "{\"key\":\"" + key + "\"}");
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM, and a wait for the drain. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
