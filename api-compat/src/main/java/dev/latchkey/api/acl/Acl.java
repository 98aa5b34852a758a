package dev.latchkey.api.acl;

import dev.latchkey.engine.framework.Operation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The access a token's policies grant, decided as Vault decides it. The policies' rules are first
 * merged per pattern (capabilities unioned; {@code deny} on either side leaves deny alone, without
 * constraints). Then one rule is chosen for the request's path, and only that rule decides:
 *
 * <ol>
 *   <li>an exact rule for the path, whatever the globs say;</li>
 *   <li>for a listing, an exact rule for the path without its trailing {@code /}, then the search
 *       below on that path;</li>
 *   <li>else the longest prefix rule ({@code secret/*}) and every {@code +} rule that matches,
 *       ranked: the rule whose first wildcard comes later wins; then one that is not a prefix
 *       rule; then fewer {@code +} segments; then the longer pattern; then the one that sorts last.</li>
 * </ol>
 *
 * <p>So "deny wins" holds only between policies that use the same pattern: a {@code deny} on
 * {@code secret/*} does not stop a {@code read} on {@code secret/foo}, as in Vault.
 */
public final class Acl {
    private static final Acl ROOT = new Acl(true, Map.of(), Map.of(), Map.of());

    private final boolean root;
    private final Map<String, PathRule> exact;
    /** Prefix rules by their pattern without the trailing {@code *}. */
    private final Map<String, PathRule> prefix;
    /** Rules with a {@code +} segment, by their whole pattern. */
    private final Map<String, PathRule> segment;

    private Acl(boolean root, Map<String, PathRule> exact, Map<String, PathRule> prefix, Map<String, PathRule> segment) {
        this.root = root;
        this.exact = exact;
        this.prefix = prefix;
        this.segment = segment;
    }

    /** The ACL of the {@code root} policy: everything allowed, sudo included. */
    public static Acl root() {
        return ROOT;
    }

    /** The ACL of these policies' rules, merged. */
    public static Acl of(List<List<PathRule>> policies) {
        Map<String, PathRule> exact = new HashMap<>();
        Map<String, PathRule> prefix = new HashMap<>();
        Map<String, PathRule> segment = new HashMap<>();
        for (List<PathRule> policy : policies) {
            for (PathRule rule : policy) {
                Map<String, PathRule> into = rule.hasSegmentWildcard() ? segment : rule.isPrefix() ? prefix : exact;
                String key = rule.hasSegmentWildcard() ? rule.pattern() : rule.stem();
                into.merge(key, rule, Acl::merged);
            }
        }
        return new Acl(false, exact, prefix, segment);
    }

    /**
     * Two rules for one pattern as one: capabilities unioned, or deny alone; the smallest non-zero
     * wrapping TTLs; per parameter, value lists concatenated unless either is empty (any value);
     * required parameters unioned.
     */
    static PathRule merged(PathRule a, PathRule b) {
        if (a.capabilities().contains(Capability.DENY) || b.capabilities().contains(Capability.DENY)) {
            return new PathRule(a.pattern(), EnumSet.of(Capability.DENY));
        }
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        caps.addAll(a.capabilities());
        caps.addAll(b.capabilities());
        Set<String> required = new LinkedHashSet<>(a.requiredParameters());
        required.addAll(b.requiredParameters());
        return new PathRule(a.pattern(), caps, mergedValues(a.allowedParameters(), b.allowedParameters()),
                mergedValues(a.deniedParameters(), b.deniedParameters()), required,
                smallestNonZero(a.minWrappingTtl(), b.minWrappingTtl()),
                smallestNonZero(a.maxWrappingTtl(), b.maxWrappingTtl()));
    }

    private static Map<String, List<Object>> mergedValues(Map<String, List<Object>> a, Map<String, List<Object>> b) {
        Map<String, List<Object>> out = new LinkedHashMap<>(a);
        b.forEach((name, values) -> out.merge(name, values, (x, y) -> {
            if (x.isEmpty() || y.isEmpty()) {
                return List.of();
            }
            List<Object> both = new ArrayList<>(x);
            both.addAll(y);
            return both;
        }));
        return out;
    }

    private static long smallestNonZero(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    /** Whether the operation on the path is allowed, with sudo when the path demands it. */
    public boolean allows(String path, Operation operation, boolean sudoRequired) {
        return allows(path, operation, sudoRequired, Map.of());
    }

    /**
     * Whether the operation on the path is allowed, with sudo when the path demands it, for a
     * request with these top-level parameters (a write's body or a read's query).
     */
    public boolean allows(String path, Operation operation, boolean sudoRequired, Map<String, Object> parameters) {
        if (root) {
            return true;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        PathRule rule = ruleFor(p, operation == Operation.LIST);
        if (rule == null || rule.capabilities().contains(Capability.DENY)) {
            return false;
        }
        Capability needed = switch (operation) {
            case READ -> Capability.READ;
            case UPDATE -> Capability.UPDATE;
            case DELETE -> Capability.DELETE;
            case LIST -> Capability.LIST;
        };
        if (!rule.capabilities().contains(needed) || (sudoRequired && !rule.capabilities().contains(Capability.SUDO))) {
            return false;
        }
        if (rule.minWrappingTtl() > 0 || rule.maxWrappingTtl() > 0) {
            return false; // the rule demands a response-wrapped request, and this one is not wrapped
        }
        return operation == Operation.LIST || operation == Operation.DELETE || parameters == null
                || ParameterConstraints.allow(rule, parameters);
    }

    /** The one rule that decides for the path, or null. */
    PathRule ruleFor(String path, boolean listing) {
        PathRule found = exact.get(path);
        if (found != null) {
            return found;
        }
        if (listing && path.endsWith("/")) {
            String bare = path.substring(0, path.length() - 1);
            found = exact.get(bare);
            if (found != null) {
                return found;
            }
            found = nonExact(bare);
            if (found != null) {
                return found;
            }
        }
        return nonExact(path);
    }

    private PathRule nonExact(String path) {
        String longest = null;
        for (String stem : prefix.keySet()) {
            if (path.startsWith(stem) && (longest == null || stem.length() > longest.length())) {
                longest = stem;
            }
        }
        PathRule best = longest == null ? null : prefix.get(longest);
        if (segment.isEmpty()) {
            return best;
        }
        for (PathRule rule : segment.values()) {
            if (segmentsMatch(rule, path) && (best == null || RANK.compare(rule, best) > 0)) {
                best = rule;
            }
        }
        return best;
    }

    /** Higher ranks win: a later first wildcard, then not a prefix, then fewer +, then longer, then later in order. */
    private static final Comparator<PathRule> RANK = Comparator.<PathRule>comparingInt(Acl::firstWildcard)
            .thenComparing(r -> !r.isPrefix())
            .thenComparing(Comparator.comparingInt(Acl::plusSegments).reversed())
            .thenComparingInt(r -> r.pattern().length())
            .thenComparing(PathRule::pattern);

    private static int firstWildcard(PathRule rule) {
        int plus = -1;
        String[] segments = rule.stem().split("/", -1);
        int at = 0;
        for (String s : segments) {
            if (s.equals("+")) {
                plus = at;
                break;
            }
            at += s.length() + 1;
        }
        int glob = rule.isPrefix() ? rule.pattern().length() - 1 : Integer.MAX_VALUE;
        return Math.min(plus < 0 ? Integer.MAX_VALUE : plus, glob);
    }

    private static int plusSegments(PathRule rule) {
        int n = 0;
        for (String s : rule.stem().split("/", -1)) {
            if (s.equals("+")) {
                n++;
            }
        }
        return n;
    }

    /** {@code +} matches any one segment; with a trailing {@code *} the last segment is a prefix and more may follow. */
    private static boolean segmentsMatch(PathRule rule, String path) {
        String[] want = rule.stem().split("/", -1);
        String[] have = path.split("/", -1);
        if (have.length < want.length || (!rule.isPrefix() && have.length != want.length)) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals("+")) {
                continue;
            }
            boolean last = i == want.length - 1;
            if (last && rule.isPrefix() ? !have[i].startsWith(want[i]) : !have[i].equals(want[i])) {
                return false;
            }
        }
        return true;
    }
}
