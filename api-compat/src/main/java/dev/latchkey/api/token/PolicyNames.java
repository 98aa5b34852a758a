package dev.latchkey.api.token;

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
            if (glob(glob, name)) {
                return true;
            }
        }
        return false;
    }

    static boolean glob(String pattern, String s) {
        if (pattern.equals("*")) {
            return true;
        }
        String[] parts = pattern.split("\\*", -1);
        if (parts.length == 1) {
            return pattern.equals(s);
        }
        if (!s.startsWith(parts[0])) {
            return false;
        }
        int at = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = s.indexOf(parts[i], at);
            if (found < 0) {
                return false;
            }
            at = found + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return s.length() - last.length() >= at && s.endsWith(last);
    }
}
