package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.random.Randomness;

/** OTPs in the layout vault-ssh-helper insists on: 16 random bytes as lowercase 8-4-4-4-12 hex. */
final class OneTimePasswords {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OneTimePasswords() {
    }

    static String generate() {
        byte[] b = new byte[16];
        Randomness.current().nextBytes(b);
        char[] out = new char[36];
        int o = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out[o++] = '-';
            }
            out[o++] = HEX[(b[i] >> 4) & 0xf];
            out[o++] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }
}
