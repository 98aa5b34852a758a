package dev.latchkey.engine.lease;

import dev.latchkey.engine.random.Randomness;

/** Lease IDs as current Vault writes them: the request path, '/', and 24 random base62 characters. */
public final class LeaseIds {
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private LeaseIds() {
    }

    public static String forPath(String requestPath) {
        return requestPath + "/" + randomBase62(24);
    }

    /** Uniform base62 text (rejection sampling, so no character is favoured). */
    public static String randomBase62(int length) {
        char[] out = new char[length];
        byte[] buf = new byte[length * 2];
        int filled = 0;
        while (filled < length) {
            Randomness.current().nextBytes(buf);
            for (int i = 0; i < buf.length && filled < length; i++) {
                int v = buf[i] & 0xff;
                if (v < 248) {
                    out[filled++] = BASE62[v % 62];
                }
            }
        }
        return new String(out);
    }
}
