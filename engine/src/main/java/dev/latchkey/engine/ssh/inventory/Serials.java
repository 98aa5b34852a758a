package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.framework.EngineException;

import java.util.Locale;

/**
 * Certificate serials, which are unsigned 64-bit numbers held in {@code long}s. Answers carry
 * them as Vault does ({@code serial_number}: lowercase hex without leading zeros); storage keys
 * and listings carry them as 16 hex digits, so that the order of the keys is the order of the
 * numbers and a listing can resume after any of them.
 */
public final class Serials {
    private Serials() {
    }

    /** Sixteen lowercase hex digits. */
    public static String key(long serial) {
        String hex = Long.toHexString(serial);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** Vault's form: lowercase hex, no leading zeros. */
    public static String vault(long serial) {
        return Long.toHexString(serial);
    }

    /**
     * A serial from a request: hex digits, with or without leading zeros, optionally with a
     * {@code 0x} prefix or {@code :} separators (as {@code ssh-keygen -L} and PKI tools print them).
     */
    public static long parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT).replace(":", "");
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        if (s.isEmpty() || s.length() > 16 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw EngineException.user("invalid serial number " + quoted(text)
                    + ": expected at most 16 hex digits, as in the serial_number of a sign or issue answer");
        }
        return Long.parseUnsignedLong(s, 16);
    }

    private static String quoted(String text) {
        return "\"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
    }
}
