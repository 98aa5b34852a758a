package dev.latchkey.api.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A well-behaved Vault client over one keep-alive HTTP/1.1 connection pool: the set-up calls and
 * the prober's requests, each with a timeout.
 */
final class VaultClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final String token;
    private final Duration timeout;

    /**
     * An answer.
     *
     * @param status the HTTP status
     * @param body   the body as text
     */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }

        /** {@code 400 {"errors":[...]}}, shortened. */
        String describe() {
            String b = body.strip();
            return status + (b.isEmpty() ? "" : " " + (b.length() > 200 ? b.substring(0, 200) + "…" : b));
        }
    }

    VaultClient(int port, String token, Duration timeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.base = "http://127.0.0.1:" + port + "/v1/";
        this.token = token;
        this.timeout = timeout;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * POSTs and insists on a 2xx, failing with the server's answer otherwise. A set-up call, so it is
     * tried again once if a pooled connection turns out to have been closed by the server's idle timer.
     */
    Answer write(String path, String json) throws IOException, InterruptedException {
        Answer a;
        try {
            a = post(path, json);
        } catch (HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            a = post(path, json);
        }
        if (a.status() / 100 != 2) {
            throw new AssertionError("set-up call POST " + path + " answered " + a.describe());
        }
        return a;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        return token == null ? b : b.header("X-Vault-Token", token);
    }

    private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }
}
