package dev.latchkey.api.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Request bodies written as they are generated, so that a 31 MiB body never sits in memory whole. */
final class Bodies {
    private static final int CHUNK = 64 * 1024;

    private Bodies() {
    }

    /** A body of known length, written in pieces. */
    interface Body {
        long length();

        void writeTo(OutputStream out) throws IOException;
    }

    static Body empty() {
        return text("");
    }

    static Body text(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return new Body() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }

    /** {@code unit} written {@code times} times. */
    static Body repeat(String unit, long times) {
        byte[] u = unit.getBytes(StandardCharsets.UTF_8);
        int perChunk = Math.max(1, CHUNK / u.length);
        byte[] chunk = new byte[perChunk * u.length];
        for (int i = 0; i < perChunk; i++) {
            System.arraycopy(u, 0, chunk, i * u.length, u.length);
        }
        return new Body() {
            @Override
            public long length() {
                return u.length * times;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                long left = times;
                while (left > 0) {
                    int n = (int) Math.min(perChunk, left);
                    out.write(chunk, 0, n * u.length);
                    left -= n;
                }
            }
        };
    }

    static Body concat(Body... parts) {
        List<Body> list = Arrays.asList(parts);
        return new Body() {
            @Override
            public long length() {
                return list.stream().mapToLong(Body::length).sum();
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                for (Body b : list) {
                    b.writeTo(out);
                }
            }
        };
    }

    /** A JSON object of {@code keys} distinct seven-digit keys, each {@code 0}: 12 bytes an entry. */
    static Body manyKeys(int keys) {
        if (keys < 1 || keys > 10_000_000) {
            throw new IllegalArgumentException("1 to 10 000 000 keys, not " + keys);
        }
        byte[] entry = "\"0000000\":0,".getBytes(StandardCharsets.US_ASCII);
        return new Body() {
            @Override
            public long length() {
                return 1 + (long) entry.length * keys;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                byte[] buf = new byte[CHUNK - CHUNK % entry.length];
                byte[] key = entry.clone();
                int at = 0;
                out.write('{');
                for (int i = 0; i < keys; i++) {
                    if (i == keys - 1) {
                        key[key.length - 1] = '}';
                    }
                    System.arraycopy(key, 0, buf, at, key.length);
                    at += key.length;
                    if (at == buf.length) {
                        out.write(buf, 0, at);
                        at = 0;
                    }
                    increment(key);
                }
                out.write(buf, 0, at);
            }
        };
    }

    /** Adds one to the seven decimal digits at offsets 1..7. */
    private static void increment(byte[] key) {
        for (int d = 7; d >= 1; d--) {
            if (key[d] != '9') {
                key[d]++;
                return;
            }
            key[d] = '0';
        }
    }
}
