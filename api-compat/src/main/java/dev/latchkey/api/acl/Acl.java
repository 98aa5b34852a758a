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

    private static final Acl NONE = new Acl(false, Map.of(), Map.of(), Map.of());

    /** An ACL that allows nothing. */
    public static Acl none() {
        return NONE;
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
        return allows(path, needed(operation), sudoRequired, Map.of());
    }

    /** The capability an operation needs; a write is an update unless its path says it creates. */
    public static Capability needed(Operation operation) {
        return switch (operation) {
            case READ -> Capability.READ;
            case UPDATE -> Capability.UPDATE;
            case DELETE -> Capability.DELETE;
            case LIST -> Capability.LIST;
            case PATCH -> Capability.PATCH;
        };
    }

    /**
     * Whether a request needing this capability on the path is allowed, with sudo when the path
     * demands it, for a request with these top-level parameters (a write's body or a read's query).
     */
    public boolean allows(String path, Capability needed, boolean sudoRequired, Map<String, Object> parameters) {
        if (root) {
            return true;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        PathRule rule = ruleFor(p, needed == Capability.LIST);
        if (rule == null || rule.capabilities().contains(Capability.DENY)) {
            return false;
        }
        if (!rule.capabilities().contains(needed) || (sudoRequired && !rule.capabilities().contains(Capability.SUDO))) {
            return false;
        }
        if (rule.minWrappingTtl() > 0 || rule.maxWrappingTtl() > 0) {
            return false; // the rule demands a response-wrapped request, and this one is not wrapped
        }
        return needed == Capability.LIST || needed == Capability.DELETE || parameters == null
                || ParameterConstraints.allow(rule, parameters);
    }

    /**
     * Whether the rule chosen for the path grants {@code sudo}: what Vault's handlers ask when they
     * decide for themselves (a token's custom ID, an orphan, a period, policies beyond the parent's).
     */
    public boolean hasSudo(String path) {
        if (root) {
            return true;
        }
        PathRule rule = ruleFor(path.startsWith("/") ? path.substring(1) : path, false);
        return rule != null && rule.capabilities().contains(Capability.SUDO);
    }

    /**
     * What these policies grant on the path, as {@code sys/capabilities} reports it: the names of
     * the capabilities of the rule a listing of the path would choose, sorted; {@code ["root"]} for
     * the root policy, {@code ["deny"]} when no rule matches, the rule denies, or it grants nothing.
     * Parameter and wrapping constraints are not considered.
     */
    public List<String> capabilities(String path) {
        if (root) {
            return List.of("root");
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        PathRule rule = ruleFor(p, true);
        if (rule == null || rule.capabilities().contains(Capability.DENY) || rule.capabilities().isEmpty()) {
            return List.of("deny");
        }
        List<String> names = new ArrayList<>();
        for (Capability c : rule.capabilities()) {
            names.add(c.word());
        }
        names.sort(null);
        return names;
    }

    /**
     * Whether these policies grant anything but {@code deny} at the path or anywhere below it: an
     * exact rule there or below, a prefix rule that covers it or starts below it, or a {@code +}
     * rule that could match there. It is how Vault decides which mounts a token may see listed.
     */
    public boolean grantsAnythingUnder(String path) {
        if (root) {
            return true;
        }
        for (PathRule rule : exact.values()) {
            if (rule.pattern().startsWith(path) && grantsSomething(rule)) {
                return true;
            }
        }
        for (Map.Entry<String, PathRule> e : prefix.entrySet()) {
            if ((path.startsWith(e.getKey()) || e.getKey().startsWith(path)) && grantsSomething(e.getValue())) {
                return true;
            }
        }
        for (PathRule rule : segment.values()) {
            if (grantsSomething(rule) && segmentsCouldReach(rule, path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean grantsSomething(PathRule rule) {
        return !rule.capabilities().isEmpty() && !rule.capabilities().contains(Capability.DENY);
    }

    /** Whether a {@code +} rule matches the path or something below it. */
    private static boolean segmentsCouldReach(PathRule rule, String path) {
        String[] want = rule.stem().split("/", -1);
        String[] have = path.split("/", -1);
        for (int i = 0; i < have.length && i < want.length; i++) {
            boolean lastOfPath = i == have.length - 1;
            if (want[i].equals("+")) {
                continue;
            }
            if (lastOfPath ? !(want[i].startsWith(have[i]) || have[i].startsWith(want[i])) : !want[i].equals(have[i])) {
                return false;
            }
        }
        return have.length <= want.length || rule.isPrefix();
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
