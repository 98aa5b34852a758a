package dev.latchkey.api.config.file;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the line a key sits on, for error messages: the parser's maps have no positions. It scans
 * the text once into words (bare identifiers and quoted strings, comments and heredoc bodies
 * skipped) with their line and brace/bracket depth; a key is then found as the first word of that
 * name at the top level, or the first inside the n-th block of a given type. It is a locator, not a
 * parser: when it cannot tell, it answers the line of the enclosing block, or 0.
 */
public final class KeyLocator {
    private record Word(String text, int line, int depth) {
    }

    private final List<Word> words = new ArrayList<>();
    /** The depth of top-level keys: 0 in HCL, 1 in JSON (inside the outer object). */
    private final int top;

    public KeyLocator(String text) {
        int line = 1;
        int depth = 0;
        int firstDepthChange = -1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == '#' || (c == '/' && i + 1 < n && text.charAt(i + 1) == '/')) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += count(text, i, end);
                i = end;
            } else if (c == '<' && text.startsWith("<<", i)) {
                int eol = text.indexOf('\n', i);
                if (eol < 0) {
                    break;
                }
                String marker = text.substring(i + 2, eol).replace("-", "").trim();
                int end = eol;
                while (end >= 0 && end < n) {
                    int next = text.indexOf('\n', end + 1);
                    String l = text.substring(end + 1, next < 0 ? n : next).trim();
                    end = next;
                    if (l.equals(marker)) {
                        break;
                    }
                }
                end = end < 0 ? n : end;
                line += count(text, i, end);
                i = end;
            } else if (c == '"') {
                int j = i + 1;
                StringBuilder sb = new StringBuilder();
                while (j < n && text.charAt(j) != '"' && text.charAt(j) != '\n') {
                    if (text.charAt(j) == '\\' && j + 1 < n) {
                        j++;
                    }
                    sb.append(text.charAt(j));
                    j++;
                }
                words.add(new Word(sb.toString(), line, depth));
                i = j + 1;
            } else if (c == '{' || c == '[') {
                if (firstDepthChange < 0) {
                    firstDepthChange = words.isEmpty() ? 1 : 0;
                }
                depth++;
                i++;
            } else if (c == '}' || c == ']') {
                depth--;
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_'
                        || text.charAt(j) == '-')) {
                    j++;
                }
                words.add(new Word(text.substring(i, j), line, depth));
                i = j;
            } else {
                i++;
            }
        }
        this.top = firstDepthChange == 1 ? 1 : 0;
    }

    private static int count(String text, int from, int to) {
        int lines = 0;
        for (int k = from; k < to && k < text.length(); k++) {
            if (text.charAt(k) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** The line of a top-level key, or 0. */
    public int topLevel(String key) {
        for (Word w : words) {
            if (w.depth == top && w.text.equals(key)) {
                return w.line;
            }
        }
        return 0;
    }

    /**
     * The line of {@code key} inside the {@code index}-th (from 0) top-level block named
     * {@code block}; the block's own line when the key is not found; {@code key} null asks for the
     * block's line.
     */
    public int inBlock(String block, int index, String key) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).depth == top && words.get(i).text.equals(block)) {
                starts.add(i);
            }
        }
        if (starts.isEmpty()) {
            return 0;
        }
        // In JSON, repeated blocks are one key holding an array: the n-th block is then the n-th
        // occurrence of the key under the last start.
        int start = starts.get(Math.min(index, starts.size() - 1));
        int skip = Math.max(0, index - (starts.size() - 1));
        if (key == null) {
            return words.get(start).line;
        }
        int j = start + 1;
        // Skip the block's labels ("tcp" in listener "tcp" {), which sit at the block's own depth.
        for (int labels = 0; labels < 2 && j < words.size() && words.get(j).depth == top; labels++) {
            j++;
        }
        for (; j < words.size() && words.get(j).depth > top; j++) {
            if (words.get(j).text.equals(key) && skip-- == 0) {
                return words.get(j).line;
            }
        }
        return words.get(start).line;
    }
}
