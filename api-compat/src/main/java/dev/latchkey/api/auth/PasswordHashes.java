package dev.latchkey.api.auth;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.security.SecureRandom;

/**
 * bcrypt, as Vault's userpass uses it (Go's default cost 10, {@code $2a$} hashes), through Bouncy
 * Castle: the one place that library's bcrypt is called. Only hashes are ever stored.
 */
final class PasswordHashes {
    private static final int COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Compared against when a user does not exist, so that an unknown name takes as long as a wrong password. */
    private static final String DUMMY = hash("a password no one has");

    private PasswordHashes() {
    }

    static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, COST);
    }

    /** Whether the password matches; a null hash (no such user) is compared with a dummy and never matches. */
    static boolean matches(String hash, String password) {
        if (hash == null) {
            OpenBSDBCrypt.checkPassword(DUMMY, password.toCharArray());
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException e) {
            return false;
        }
    }

    /** Whether the text is a bcrypt hash this server can check. */
    static boolean isHash(String text) {
        try {
            OpenBSDBCrypt.checkPassword(text, new char[] {'x'});
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
