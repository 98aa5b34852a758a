package dev.latchkey.api.config.file;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks that an HCL text's braces and brackets pair up and its strings end, before the HCL library
 * reads it: that library accepts a text whose last block is never closed, reading what follows the
 * opening as top-level keys, and then every message about it would point at the wrong thing.
 * Strings, heredocs and comments are skipped. Problems are reported as HCL reports positions:
 * {@code At <line>:<column>: ...}.
 */
final class Brackets {
    private record Open(char ch, int line, int column) {
    }

    private Brackets() {
    }

    /** Whether something other than a closing bracket, a comma or the end follows, blanks aside. */
    private static boolean valueFollows(String text, int from) {
        int k = from;
        while (k < text.length() && Character.isWhitespace(text.charAt(k))) {
            k++;
        }
        return k < text.length() && "}],".indexOf(text.charAt(k)) < 0;
    }

    /** Null when the text pairs up, else what is wrong and where. */
    static HclSource.SyntaxError check(String text) {
        Deque<Open> open = new ArrayDeque<>();
        int line = 1;
        int column = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
                i++;
                continue;
            }
            if (c == '#' || (c == '/' && i + 1 < n && text.charAt(i + 1) == '/')) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                column = 0;
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    return new HclSource.SyntaxError(line, "At " + line + ":" + column + ": comment not terminated");
                }
                for (int k = i; k < end + 2; k++) {
                    if (text.charAt(k) == '\n') {
                        line++;
                        column = 0;
                    } else {
                        column++;
                    }
                }
                i = end + 2;
                continue;
            }
            if (c == '"') {
                int startLine = line;
                int startColumn = column;
                i++;
                boolean closed = false;
                while (i < n) {
                    char s = text.charAt(i);
                    if (s == '\\') {
                        i += 2;
                        column += 2;
                        continue;
                    }
                    if (s == '\n') {
                        break; // HCL strings do not span lines
                    }
                    i++;
                    column++;
                    if (s == '"') {
                        closed = true;
                        break;
                    }
                }
                if (!closed) {
                    return new HclSource.SyntaxError(startLine, "At " + startLine + ":" + startColumn
                            + ": literal not terminated");
                }
                continue;
            }
            if (c == '<' && text.startsWith("<<", i)) {
                int eol = text.indexOf('\n', i);
                String marker = (eol < 0 ? text.substring(i + 2) : text.substring(i + 2, eol)).strip();
                if (marker.startsWith("-")) {
                    marker = marker.substring(1);
                }
                if (!marker.isEmpty() && marker.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                    int startLine = line;
                    int at = eol;
                    boolean closed = false;
                    while (at >= 0 && at < n) {
                        int next = text.indexOf('\n', at + 1);
                        String body = (next < 0 ? text.substring(at + 1) : text.substring(at + 1, next)).strip();
                        line++;
                        if (body.equals(marker)) {
                            closed = true;
                            at = next < 0 ? n : next;
                            break;
                        }
                        at = next;
                    }
                    if (!closed) {
                        return new HclSource.SyntaxError(startLine, "At " + startLine + ":" + column
                                + ": heredoc not terminated");
                    }
                    i = at;
                    column = 0;
                    continue;
                }
            }
            if (c == '=' && !valueFollows(text, i + 1)) {
                return new HclSource.SyntaxError(line, "At " + line + ":" + column + ": expected a value after '='");
            }
            if (c == '{' || c == '[') {
                open.push(new Open(c, line, column));
            } else if (c == '}' || c == ']') {
                char wanted = c == '}' ? '{' : '[';
                if (open.isEmpty() || open.peek().ch() != wanted) {
                    String expected = open.isEmpty() ? "nothing is open"
                            : "expected '" + (open.peek().ch() == '{' ? '}' : ']') + "' for the '" + open.peek().ch()
                            + "' at " + open.peek().line() + ":" + open.peek().column();
                    return new HclSource.SyntaxError(line, "At " + line + ":" + column + ": unexpected '" + c
                            + "' (" + expected + ")");
                }
                open.pop();
            }
            i++;
        }
        if (!open.isEmpty()) {
            Open o = open.peek();
            return new HclSource.SyntaxError(o.line(), "At " + o.line() + ":" + o.column() + ": the '" + o.ch()
                    + "' here is never closed (expected '" + (o.ch() == '{' ? '}' : ']') + "' before the end of the text)");
        }
        return null;
    }
}
