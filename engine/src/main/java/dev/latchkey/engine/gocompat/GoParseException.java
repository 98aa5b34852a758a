package dev.latchkey.engine.gocompat;

/**
 * Text that Go's parser would refuse. The message is Go's own error text (for example
 * {@code strconv.ParseInt: parsing "x": invalid syntax}), because Vault passes it on to clients.
 * Always the input's fault, so it carries no stack trace.
 */
public final class GoParseException extends Exception {
    public GoParseException(String goMessage) {
        super(goMessage, null, false, false);
    }
}
