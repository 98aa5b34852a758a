package dev.latchkey.engine.ssh.keys;

import java.util.Base64;

/** Standard padded base64 read the way Go's {@code base64.StdEncoding} reads it. */
final class SshBase64 {
    private SshBase64() {
    }

    /**
     * Decodes, skipping CR and LF as Go does (so a key line's trailing newline is harmless) but
     * nothing else; {@code what} names the data in the error.
     */
    static byte[] decode(String text, String what) {
        String s = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0
                ? text.replace("\n", "").replace("\r", "")
                : text;
        if (s.length() % 4 != 0) {
            throw new SshKeyException(what + " is not valid base64");
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new SshKeyException(what + " is not valid base64");
        }
    }
}
