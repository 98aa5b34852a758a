package dev.latchkey.api.http;

import dev.latchkey.api.NodeOptions;
import dev.latchkey.api.config.ListenerOptions;
import dev.latchkey.api.config.ServerOptions;
import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.api.testing.SealedNode;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * A listener's {@code max_request_duration}: a request whose work outlives it is answered 503 when
 * the time is up, not when the work gives up, and the node goes on serving. The slow work is a
 * dynamic-key {@code creds} against a loopback port that accepts TCP and never says a word, so the
 * SSH login waits for a banner until its own 30-second connect timeout.
 */
class MaxRequestDurationTest {

    @Test
    void aRequestThatOutlivesItsDurationIsAnswered503AndTheNodeServesOn() throws Exception {
        ListenerOptions plain = ListenerOptions.plain("127.0.0.1", 0);
        ListenerOptions oneSecond = new ListenerOptions(plain.host(), 0, plain.maxRequestBodyBytes(), plain.json(),
                plain.readHeaderTimeout(), plain.readTimeout(), plain.idleTimeout(), Duration.ofSeconds(1),
                plain.maxHeaderBytes(), null, false);
        NodeOptions options = NodeOptions.inMemory("127.0.0.1", 0)
                .withServer(ServerOptions.withListeners(List.of(oneSecond), SystemDefaults.VAULT));
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SealedNode node = SealedNode.start(options)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            }, "silent-ssh-port");
            acceptor.setDaemon(true);
            acceptor.start();
            var init = node.init(1, 1);
            String root = init.getString("root_token");
            node.unsealWith(init.getList("keys"));
            assertThat(node.put(root, "sys/mounts/ssh", "{\"type\":\"ssh\"}").statusCode(), is(204));
            String admin = SshKeyGenerator.generate("ed25519", 0).toPem();
            assertThat(node.withToken(root).contentType("application/json").body(Map.of("key", admin))
                    .post("/v1/ssh/keys/admin").statusCode(), is(204));
            assertThat(node.withToken(root).contentType("application/json").body(Map.of("key_type", "dynamic",
                    "key", "admin", "admin_user", "ops", "default_user", "app", "cidr_list", "127.0.0.0/8",
                    "port", silent.getLocalPort(), "connect_timeout", 30)).post("/v1/ssh/roles/slow").statusCode(),
                    is(204));

            Response r = node.withToken(root).contentType("application/json").body(Map.of("ip", "127.0.0.1"))
                    .post("/v1/ssh/creds/slow");
            assertThat(r.asString(), r.statusCode(), is(503));
            assertThat(r.asString(), containsString("max_request_duration of 1s"));
            assertThat("the client was answered while the login still waited", held.isEmpty(), is(false));

            assertThat(node.anonymous().get("/v1/sys/health").statusCode(), is(200));
            assertThat(node.withToken(root).get("/v1/ssh/roles/slow").statusCode(), is(200));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
