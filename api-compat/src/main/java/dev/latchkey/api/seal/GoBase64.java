package dev.latchkey.api.seal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Go's {@code base64.StdEncoding.DecodeString}, quantum by quantum as Go decodes: padding is
 * required, carriage returns and newlines are skipped, and a corrupt input is reported as
 * {@code illegal base64 data at input byte N} with Go's N. Java's decoder accepts unpadded input
 * and refuses newlines, so keys and PGP keys that Vault takes or refuses would be judged otherwise.
 */
public final class GoBase64 {
    private static final byte[] DECODE = new byte[256];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private GoBase64() {
    }

    /** @throws IllegalArgumentException with Go's text when {@code s} is not standard, padded base64 */
    public static byte[] decode(String s) {
        return decode(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #decode(String)} of the bytes of a string as Go holds it. */
    static byte[] decode(byte[] src) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length * 3 / 4);
        int si = 0;
        while (si < src.length) {
            int[] buf = new int[4];
            int dlen = 4;
            int j = 0;
            boolean end = false;
            while (j < 4) {
                if (si == src.length) {
                    if (j == 0) {
                        return out.toByteArray();
                    }
                    throw corrupt(si - j); // an unfinished quantum: padding is required
                }
                int in = src[si] & 0xff;
                si++;
                if (DECODE[in] >= 0) {
                    buf[j++] = DECODE[in];
                    continue;
                }
                if (in == '\n' || in == '\r') {
                    continue;
                }
                if (in != '=') {
                    throw corrupt(si - 1);
                }
                if (j < 2) {
                    throw corrupt(si - 1); // incorrect padding
                }
                if (j == 2) {
                    si = skipNewlines(src, si);
                    if (si == src.length) {
                        throw corrupt(src.length); // not enough padding
                    }
                    if (src[si] != '=') {
                        throw corrupt(si - 1);
                    }
                    si++;
                }
                si = skipNewlines(src, si);
                if (si < src.length) {
                    throw corrupt(si); // trailing garbage
                }
                dlen = j;
                end = true;
                break;
            }
            int value = buf[0] << 18 | buf[1] << 12 | buf[2] << 6 | buf[3];
            out.write(value >> 16);
            if (dlen > 2) {
                out.write(value >> 8);
            }
            if (dlen > 3) {
                out.write(value);
            }
            if (end) {
                break;
            }
        }
        return out.toByteArray();
    }

    private static int skipNewlines(byte[] src, int si) {
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
            si++;
        }
        return si;
    }

    private static IllegalArgumentException corrupt(int offset) {
        return new IllegalArgumentException("illegal base64 data at input byte " + offset);
    }
}
