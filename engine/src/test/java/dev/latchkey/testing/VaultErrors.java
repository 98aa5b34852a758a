package dev.latchkey.testing;

/**
 * Vault's error texts that clients compare byte for byte, written once. Vault wraps core errors in
 * its multierror format ({@code "1 error occurred:\n\t* …\n\n"}); an engine's own messages are
 * sent as they are.
 */
public final class VaultErrors {
    /** An ACL denial, or a request without a token where one is needed. */
    public static final String PERMISSION_DENIED = multiError("permission denied");
    /** A token that is unknown, expired, revoked or out of uses (Vault releases after 1.14). */
    public static final String INVALID_TOKEN = multiError("permission denied", "invalid token");
    /** A path inside a mount that none of the engine's patterns match. */
    public static final String UNSUPPORTED_PATH = multiError("unsupported path");
    /** A path the engine knows, asked with an operation it does not have. */
    public static final String UNSUPPORTED_OPERATION = multiError("unsupported operation");
    /**
     * The exact body of a read or list that found nothing (404), with the newline Vault's JSON
     * encoder ends every body with; clients rely on it.
     */
    public static final String EMPTY_ERRORS_BODY = "{\"errors\":[]}\n";

    private VaultErrors() {
    }

    /** Vault's multierror text (hashicorp/go-multierror's default format) for the given errors. */
    public static String multiError(String... errors) {
        StringBuilder b = new StringBuilder(errors.length == 1 ? "1 error occurred:\n"
                : errors.length + " errors occurred:\n");
        for (String e : errors) {
            b.append("\t* ").append(e).append('\n');
        }
        return b.append('\n').toString();
    }
}
