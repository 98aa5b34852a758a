package dev.latchkey.api.conventions;

import dev.latchkey.api.testing.DevServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain loopback socket, for requests no well-behaved client library sends
 * (raw request targets, odd methods, chunked bodies, broken headers). Every read has a timeout so
 * a server that hangs fails the test instead of blocking it.
 */
final class RawHttp {
    static final int TIMEOUT_MS = 20_000;

    /** A parsed answer: status, headers (names lower-cased, last one wins), body bytes. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}. */
    static Answer send(String head, byte[] body) throws IOException {
        return send(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    static Answer send(byte[] head, byte[] body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", DevServer.get().port()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            try {
                out.write(head);
                out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException writeFailed) {
                // The server may answer (e.g. 413) and close before reading everything: read what it said.
            }
            return read(s.getInputStream());
        }
    }

    /** A request with the root token, {@code Connection: close} and a Content-Length for {@code body}. */
    static Answer request(String method, String target, String contentType, byte[] body, String... extraHeaders)
            throws IOException {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Connection: close\r\n")
                .append("X-Vault-Token: ").append(DevServer.rootToken());
        if (contentType != null) {
            head.append("\r\nContent-Type: ").append(contentType);
        }
        if (body != null) {
            head.append("\r\nContent-Length: ").append(body.length);
        }
        for (String h : extraHeaders) {
            head.append("\r\n").append(h);
        }
        return send(head.toString(), body);
    }

    static Answer request(String method, String target) throws IOException {
        return request(method, target, null, null);
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int headerEnd = -1;
        try {
            while (headerEnd < 0) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                all.write(buf, 0, n);
                headerEnd = indexOf(all.toByteArray(), "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no complete response head within " + TIMEOUT_MS + " ms; got: "
                    + all.toString(StandardCharsets.ISO_8859_1), e);
        }
        if (headerEnd < 0) {
            throw new IOException("connection closed before a response head; got: "
                    + all.toString(StandardCharsets.ISO_8859_1));
        }
        byte[] bytes = all.toByteArray();
        String headText = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = headText.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(bytes, headerEnd + 4, bytes.length - headerEnd - 4);
        String length = headers.get("content-length");
        boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        if (length != null) {
            int want = Integer.parseInt(length);
            while (rest.size() < want) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                rest.write(buf, 0, n);
            }
            byte[] body = rest.toByteArray();
            byte[] exact = new byte[Math.min(want, body.length)];
            System.arraycopy(body, 0, exact, 0, exact.length);
            return new Answer(status, headers, exact);
        }
        if (chunked) {
            // read to the terminating chunk or EOF, then decode
            while (indexOf(rest.toByteArray(), "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)) < 0) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                rest.write(buf, 0, n);
            }
            return new Answer(status, headers, dechunk(rest.toByteArray()));
        }
        return new Answer(status, headers, rest.toByteArray());
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 0;
        while (p < raw.length) {
            int eol = indexOf(raw, p, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(new String(raw, p, eol - p, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(raw, eol + 2, size);
            p = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, 0, needle);
    }

    private static int indexOf(byte[] hay, int from, byte[] needle) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
