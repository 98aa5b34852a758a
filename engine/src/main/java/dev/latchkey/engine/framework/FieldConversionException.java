package dev.latchkey.engine.framework;

/**
 * A field value that cannot be converted to its declared type. Always the caller's fault, so it
 * carries no stack trace; the message is the reason Vault would give.
 */
public final class FieldConversionException extends Exception {
    public FieldConversionException(String reason) {
        super(reason, null, false, false);
    }
}
