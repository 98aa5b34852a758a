package dev.latchkey.api.http;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The canonical form of a request path, as Go's HTTP multiplexer computes it before redirecting
 * ({@code //}, {@code /./} and {@code /../} removed, a trailing slash kept).
 */
final class PathCleaner {
    private PathCleaner() {
    }

    static String clean(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(seg);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String p : parts) {
            out.append('/').append(p);
        }
        if (out.length() == 0) {
            return "/";
        }
        if (path.endsWith("/")) {
            out.append('/');
        }
        return out.toString();
    }

    /** Whether every code point is printable (Vault refuses paths with control characters). */
    static boolean printable(String s) {
        return s.codePoints().allMatch(cp -> {
            int type = Character.getType(cp);
            return cp >= 0x20 && cp != 0x7f && type != Character.CONTROL && type != Character.FORMAT
                    && type != Character.UNASSIGNED && type != Character.SURROGATE
                    && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
        });
    }
}
