package dev.latchkey.api.http;

import dev.latchkey.api.config.JsonLimits;

/**
 * The JSON limits checked on the bytes as they arrive, before the body is held or parsed: a body
 * of millions of keys is refused once its ten-thousand-and-first key has come in, a few hundred
 * kilobytes into it, instead of after 32 MiB have been buffered and handed to the parser. Vault
 * runs the same kind of streaming check before it decodes a body.
 *
 * <p>This is a scanner, not a parser: it follows strings (and their escapes) and brackets, and
 * counts. A body it lets through is parsed afterwards under the same limits, which also judges the
 * syntax. It counts as Vault does, so it never refuses a body Vault would accept: containers and
 * their elements exactly, a string's length in bytes of UTF-8 with each escape sequence as one
 * byte, which is at most what the escape decodes to.
 */
final class JsonLimitScanner {
    private final JsonLimits limits;
    /** Elements so far of each open container, outermost first. */
    private final int[] elements;
    /** Whether each open container is an object. */
    private final boolean[] object;
    /** Whether each open container has seen the start of its first element. */
    private final boolean[] started;
    private int depth;
    private long values;
    private boolean inString;
    private boolean escaped;
    /** Hex digits of a backslash-u escape still to pass over. */
    private int hexLeft;
    private long stringLength;
    private boolean sawTopValue;
    private String broken;

    JsonLimitScanner(JsonLimits limits) {
        this.limits = limits;
        this.elements = new int[limits.maxDepth() + 1];
        this.object = new boolean[limits.maxDepth() + 1];
        this.started = new boolean[limits.maxDepth() + 1];
    }

    /** Scans the next bytes; returns the first limit broken, with Vault's message, or null. */
    String feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && broken == null; i++) {
            byte b = bytes[i];
            if (inString) {
                string(b);
            } else {
                structure(b);
            }
        }
        return broken;
    }

    private void string(byte b) {
        if (hexLeft > 0) {
            hexLeft--;
            return;
        }
        if (escaped) {
            escaped = false;
            if (b == 'u') {
                hexLeft = 4;
            }
            return;
        }
        if (b == '\\') {
            escaped = true;
            count();
        } else if (b == '"') {
            inString = false;
        } else {
            count();
        }
    }

    private void count() {
        if (++stringLength > limits.maxStringValueLength()) {
            broken = "JSON string value exceeds allowed length";
        }
    }

    private void structure(byte b) {
        switch (b) {
            case ' ', '\t', '\r', '\n' -> {
            }
            case ',' -> {
                if (depth > 0) {
                    started[depth] = false; // the next element starts with its first byte
                }
            }
            case ':' -> {
            }
            case '}', ']' -> {
                if (depth > 0) {
                    depth--;
                }
            }
            default -> {
                elementStarts(b);
                if (broken != null) {
                    return;
                }
                if (b == '"') {
                    inString = true;
                    stringLength = 0;
                } else if (b == '{' || b == '[') {
                    if (depth == limits.maxDepth()) {
                        broken = "JSON input exceeds allowed nesting depth";
                        return;
                    }
                    depth++;
                    elements[depth] = 0;
                    object[depth] = b == '{';
                    started[depth] = false;
                }
            }
        }
    }

    /**
     * Counts an element when {@code b} is the first significant byte after an opening bracket or a
     * comma: an array's element, or an object's member, which begins with its key (the value after
     * the colon, and the rest of a scalar, begin nothing new).
     */
    private void elementStarts(byte b) {
        if (depth == 0) {
            if (!sawTopValue) {
                sawTopValue = true;
                values++;
            }
            return;
        }
        if (started[depth]) {
            return;
        }
        started[depth] = true;
        elements[depth]++;
        values++;
        if (object[depth] && elements[depth] > limits.maxObjectEntryCount()) {
            broken = "JSON object exceeds allowed entry count";
        } else if (!object[depth] && elements[depth] > limits.maxArrayElementCount()) {
            broken = "JSON array exceeds allowed element count";
        } else if (values > limits.maxValues()) {
            broken = "JSON input exceeds the allowed number of values";
        }
    }
}
