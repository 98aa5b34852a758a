package dev.latchkey.api.hostile;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 exchange over a plain socket, as an attacker makes it: the head and a streamed body,
 * then the status line. A watchdog closes the socket at the deadline, so no exchange outlives it
 * however the server behaves (a server that stops reading would otherwise block the writer forever).
 */
final class RawHttp {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostile-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final int MAX_HEAD = 16 * 1024;
    private static final int MAX_SNIPPET = 300;

    private RawHttp() {
    }

    /**
     * What came back.
     *
     * @param label   the outcome label: the status ({@code "400"}), {@code "closed"}, {@code "refused"},
     *                {@code "no answer in N s"}, {@code "abandoned after N s"} or {@code "HTTP/2 frame"}
     * @param snippet the start of the error body or of the bytes received, for failure messages
     * @param seconds from connecting to the answer (or to giving up)
     */
    record Exchange(String label, String snippet, double seconds) {
    }

    /** {@code POST path} with a JSON body, optionally with a token, {@code Connection: close}. */
    static String postHead(int port, String path, String token, long contentLength) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (token == null ? "" : "X-Vault-Token: " + token + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n";
    }

    /** POSTs a JSON body and reads the answer, giving up at the deadline. */
    static Exchange post(int port, String path, String token, Bodies.Body body, Duration deadline) {
        return exchange(port, postHead(port, path, token, body.length()), body, deadline, false);
    }

    /**
     * Sends {@code head} and {@code body}, then reads the answer. At the deadline the socket is
     * closed: the outcome is {@code "abandoned after N s"} when {@code abandon} says the client
     * meant to give up then, else {@code "no answer in N s"}.
     */
    static Exchange exchange(int port, String head, Bodies.Body body, Duration deadline, boolean abandon) {
        long start = System.nanoTime();
        Exchange e = untimed(port, head, body, deadline, abandon);
        return new Exchange(e.label(), e.snippet(), (System.nanoTime() - start) / 1e9);
    }

    private static Exchange untimed(int port, String head, Bodies.Body body, Duration deadline, boolean abandon) {
        AtomicBoolean expired = new AtomicBoolean();
        String late = (abandon ? "abandoned after " : "no answer in ") + seconds(deadline);
        try (Socket s = new Socket()) {
            ScheduledFuture<?> dog = WATCHDOG.schedule(() -> {
                expired.set(true);
                closeQuietly(s);
            }, deadline.toMillis(), TimeUnit.MILLISECONDS);
            try {
                try {
                    s.connect(new InetSocketAddress(LOOPBACK, port), (int) Math.min(5000, deadline.toMillis()));
                } catch (ConnectException e) {
                    return new Exchange(Outcomes.REFUSED, e.getMessage(), 0);
                }
                OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
                try {
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    body.writeTo(out);
                    out.flush();
                } catch (IOException e) {
                    // the server may answer and close before reading the whole body: read what it said
                    if (expired.get()) {
                        return new Exchange(late, "", 0);
                    }
                }
                return readAnswer(s.getInputStream());
            } catch (IOException e) {
                return expired.get() ? new Exchange(late, "", 0) : new Exchange(Outcomes.CLOSED, e.toString(), 0);
            } finally {
                dog.cancel(false);
            }
        } catch (IOException e) {
            return new Exchange(Outcomes.CLOSED, e.toString(), 0);
        }
    }

    /**
     * Reads a status line, the headers and the start of the body. Bytes that are not HTTP/1.1 are
     * reported as an HTTP/2 frame when they look like one (a SETTINGS frame opens a server's
     * HTTP/2 stream), else as garbage.
     */
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/(\\d\\.\\d) (\\d{3}) ");

    static Exchange readAnswer(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while (head.size() < MAX_HEAD && (b = in.read()) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (head.size() == 5 && !head.toString(StandardCharsets.ISO_8859_1).equals("HTTP/")) {
                byte[] start = in.readNBytes(4);
                head.write(start);
                return nonHttp1(head.toByteArray());
            }
            if (last4 == 0x0d0a0d0a) {
                break;
            }
        }
        if (head.size() == 0) {
            return new Exchange(Outcomes.CLOSED, "", 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher line = STATUS_LINE.matcher(text);
        if (!line.lookingAt()) {
            return nonHttp1(head.toByteArray());
        }
        // a plain-text status line in another version (Vert.x answers a cleartext HTTP/2 preface
        // with "HTTP/2.0 501") is a refusal in text, reported with its version
        String status = line.group(1).startsWith("1.") ? line.group(2) : "HTTP/" + line.group(1) + " " + line.group(2);
        int length = contentLength(text);
        byte[] bodyStart = in.readNBytes(Math.max(0, Math.min(length, MAX_SNIPPET)));
        return new Exchange(status, new String(bodyStart, StandardCharsets.UTF_8).strip(), 0);
    }

    private static Exchange nonHttp1(byte[] bytes) {
        boolean frame = bytes.length >= 9 && bytes[0] == 0 && bytes[3] == 0x04;
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 9); i++) {
            hex.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xff));
        }
        return new Exchange(frame ? "HTTP/2 frame" : "not HTTP/1.1", "first bytes " + hex, 0);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
