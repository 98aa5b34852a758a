package dev.latchkey.api.http;

/** Go's {@code strconv.ParseBool}: the only spellings Vault accepts for boolean query flags. */
final class GoBool {
    private GoBool() {
    }

    /** TRUE, FALSE, or null when the text is not a Go boolean. */
    static Boolean parse(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }
}
