package dev.latchkey.api.token;

import dev.latchkey.engine.gocompat.Glob;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Lists of policy names as Vault's token store treats them. */
final class PolicyNames {
    private PolicyNames() {
    }

    /**
     * Trimmed and lower-cased, empty names dropped, {@code root} alone if present, {@code default}
     * added when asked and absent, without duplicates, sorted.
     */
    static List<String> sanitized(List<String> names, boolean addDefault) {
        TreeSet<String> out = new TreeSet<>();
        for (String n : names) {
            String p = n.strip().toLowerCase(Locale.ROOT);
            if (p.equals("root")) {
                return List.of("root");
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        if (addDefault) {
            out.add("default");
        }
        return new ArrayList<>(out);
    }

    /** Trimmed and lower-cased, empty names dropped, without duplicates, sorted; nothing else. */
    static List<String> deduplicated(List<String> names) {
        TreeSet<String> out = new TreeSet<>();
        for (String n : names) {
            String p = n.strip().toLowerCase(Locale.ROOT);
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return new ArrayList<>(out);
    }

    /** Whether any of the globs matches the name; {@code *} stands for any run of characters. */
    static boolean matchesAny(List<String> globs, String name) {
        for (String glob : globs) {
            if (Glob.matches(glob, name)) {
                return true;
            }
        }
        return false;
    }
}
