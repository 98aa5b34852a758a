package dev.latchkey.engine.gocompat;

/**
 * The glob Vault matches policy names and bound claims with (ryanuber/go-glob): {@code *} stands
 * for any run of characters, anywhere, any number of times; everything else matches itself, with
 * case. No other wildcard exists.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(String pattern, String s) {
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
