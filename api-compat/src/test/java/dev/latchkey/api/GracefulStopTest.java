package dev.latchkey.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping a node (SIGTERM runs {@link LatchkeyServer#close}) lets a request already in flight finish
 * and answers it, while new connections are refused: the request's body is still arriving when
 * the stop begins, so the drain is what the test sees, not a race.
 */
class GracefulStopTest {

    @Test
    void aRequestInFlightIsAnsweredWhileTheNodeStops() throws Exception {
        LatchkeyServer server = LatchkeyServer.startDev(new DevOptions("graceful-root", "127.0.0.1", 0));
        int port = server.port();
        String body = "{\"otp\":\"not-an-otp\"}";
        CompletableFuture<Void> stopping;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/sys/unseal HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body.substring(0, 5)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(300); // the request is in: its headers are read, its body half sent
            stopping = CompletableFuture.runAsync(server::close);
            Thread.sleep(500);
            assertFalse(stopping.isDone(), "the stop waits for the request in flight");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                    "a new connection is refused once the stop has begun");
            out.write(body.substring(5).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = readHead(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 "), "the request in flight is answered: " + answer);
        }
        stopping.get(20, TimeUnit.SECONDS);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && b.length() < 200) {
            b.append((char) c);
            if (b.toString().endsWith("\r\n")) {
                break;
            }
        }
        return b.toString();
    }
}
