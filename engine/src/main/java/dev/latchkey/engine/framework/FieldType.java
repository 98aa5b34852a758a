package dev.latchkey.engine.framework;

/** The field types this engine declares, each with Vault's weak conversion (see {@link FieldConverter}). */
public enum FieldType {
    STRING,
    INT,
    BOOL,
    /** Seconds, from a number or a duration string (see {@link dev.latchkey.engine.gocompat.Durations}). */
    DURATION,
    /** A JSON object kept as it is. */
    MAP,
    /** A JSON object whose values become text with Go's {@code %v}. */
    STRING_MAP,
    /** A JSON array, or one string split on commas. */
    COMMA_STRING_SLICE
}
