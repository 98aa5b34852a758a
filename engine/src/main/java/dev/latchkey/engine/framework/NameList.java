package dev.latchkey.engine.framework;

import dev.latchkey.engine.gocompat.GoFormat;

import java.util.TreeSet;

/**
 * The parameter names a warning echoes, in Go's sort order, at most {@link #SHOWN} of them. Vault
 * echoes every ignored name; a body of ten thousand made-up keys would then come back as a warning
 * as large as itself. Beyond the first hundred only the count is told, and holding the names costs
 * no more than holding a hundred.
 */
final class NameList {
    static final int SHOWN = 100;

    private final TreeSet<String> first = new TreeSet<>(GoFormat.SORT_ORDER);
    private int count;

    /** Adds a name not added before (the names are a map's keys). */
    void add(String name) {
        if (first.add(name)) {
            count++;
            if (first.size() > SHOWN) {
                first.pollLast();
            }
        }
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** {@code a b c}, or {@code a b … and N more} past {@link #SHOWN}. */
    String joined() {
        String shown = String.join(" ", first);
        return count > first.size() ? shown + " … and " + (count - first.size()) + " more" : shown;
    }
}
