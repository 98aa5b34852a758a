package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.gocompat.GoFormat;

/**
 * The rules for text a dynamic key carries to a target host: into a file (the authorized_keys
 * line), onto the command line (the user name, in the authorized_keys path) or into the login
 * (the admin user). None may hold a control character, so no value can end a line early and start
 * one of its own: a newline in {@code key_option_specs} would install a second authorized_keys
 * line, which the uninstall (it removes the lines holding the key) would leave behind, and the
 * built-in script reads the key file as one pattern per line. Vault checked none of them.
 *
 * <p>Checked when a role is written and again when a key is installed or removed, so a role or a
 * lease stored before these rules existed cannot carry such a value to a host either.
 */
public final class HostText {
    private HostText() {
    }

    /**
     * Refuses C0 and C1 control characters (newline, carriage return, NUL, tab, ...), DEL and the
     * Unicode line and paragraph separators.
     */
    public static void requireNoControlCharacters(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c)) {
                throw EngineException.user(field + " must not contain control characters (found "
                        + String.format("U+%04X", (int) c) + "): it is sent to the target host");
            }
        }
    }

    /** Refuses what is not a plain account name ({@link AuthorizedKeysEditor#isAccountName}). */
    public static void requireAccountName(String field, String value) {
        if (!AuthorizedKeysEditor.isAccountName(value)) {
            throw EngineException.user(field + " " + GoFormat.q(value) + " is not a valid account name: "
                    + "dynamic keys need letters, digits, '.', '_' or '-' (it becomes part of a command on the host)");
        }
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
