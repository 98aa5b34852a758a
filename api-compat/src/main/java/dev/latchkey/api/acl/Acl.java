package dev.latchkey.api.acl;

import dev.latchkey.engine.framework.Operation;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The access a token's policies grant. For a path, the most specific matching rule of each policy
 * counts and the policies' grants are unioned; {@code deny} anywhere wins.
 */
public final class Acl {
    private final boolean root;
    private final List<List<PathRule>> policies;

    private Acl(boolean root, List<List<PathRule>> policies) {
        this.root = root;
        this.policies = policies;
    }

    public static Acl forPolicies(List<String> names) {
        if (names.contains("root")) {
            return new Acl(true, List.of());
        }
        List<List<PathRule>> rules = new ArrayList<>();
        for (String name : names) {
            List<PathRule> builtin = BuiltinPolicies.rules(name);
            if (builtin != null) {
                rules.add(builtin);
            }
        }
        return new Acl(false, rules);
    }

    /** Whether the operation on the path is allowed, with sudo when the path demands it. */
    public boolean allows(String path, Operation operation, boolean sudoRequired) {
        if (root) {
            return true;
        }
        Set<Capability> granted = EnumSet.noneOf(Capability.class);
        for (List<PathRule> policy : policies) {
            PathRule best = null;
            for (PathRule rule : policy) {
                if (rule.matches(path) && (best == null || rule.specificity() > best.specificity())) {
                    best = rule;
                }
            }
            if (best != null) {
                if (best.capabilities().contains(Capability.DENY)) {
                    return false;
                }
                granted.addAll(best.capabilities());
            }
        }
        Capability needed = switch (operation) {
            case READ -> Capability.READ;
            case UPDATE -> Capability.UPDATE;
            case DELETE -> Capability.DELETE;
            case LIST -> Capability.LIST;
        };
        return granted.contains(needed) && (!sudoRequired || granted.contains(Capability.SUDO));
    }
}
