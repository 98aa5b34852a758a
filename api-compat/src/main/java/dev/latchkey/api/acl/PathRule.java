package dev.latchkey.api.acl;

import java.util.EnumSet;
import java.util.Set;

/**
 * One {@code path "..." { capabilities = [...] }} rule. A trailing {@code *} makes it a prefix
 * rule; a {@code +} segment matches exactly one path segment.
 */
public record PathRule(String pattern, Set<Capability> capabilities) {
    public PathRule {
        capabilities = capabilities.isEmpty() ? Set.of() : EnumSet.copyOf(capabilities);
    }

    boolean isPrefix() {
        return pattern.endsWith("*");
    }

    boolean matches(String path) {
        String p = isPrefix() ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (!p.contains("+")) {
            return isPrefix() ? path.startsWith(p) : path.equals(p);
        }
        String[] want = p.split("/", -1);
        String[] have = path.split("/", -1);
        if (have.length < want.length || (!isPrefix() && have.length != want.length)) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean last = i == want.length - 1;
            if (want[i].equals("+")) {
                continue;
            }
            if (last && isPrefix() ? !have[i].startsWith(want[i]) : !have[i].equals(want[i])) {
                return false;
            }
        }
        return true;
    }

    /** Longer literal text wins, and an exact rule beats a prefix rule of the same path. */
    int specificity() {
        int literal = pattern.replace("+", "").replace("*", "").length();
        return literal * 2 + (isPrefix() ? 0 : 1);
    }
}
