package dev.latchkey.api.config.file;

/**
 * One thing wrong with a configuration, rendered as one line:
 * {@code <file>:<line>: <what>; <fix>}. Line 0 means the problem has no single line (a file that
 * cannot be read, a key missing from every file), and is left out of the text.
 */
public record ConfigProblem(String file, int line, String message, String fix) {
    public String text() {
        return file + (line > 0 ? ":" + line : "") + ": " + message + (fix.isEmpty() ? "" : "; " + fix);
    }

    @Override
    public String toString() {
        return text();
    }
}
