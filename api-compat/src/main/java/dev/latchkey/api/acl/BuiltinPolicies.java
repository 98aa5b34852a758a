package dev.latchkey.api.acl;

import java.util.List;
import java.util.Set;

/** The policies every server has: {@code root} (everything) and Vault's {@code default}. */
final class BuiltinPolicies {
    private static final List<PathRule> DEFAULT = List.of(
            new PathRule("auth/token/lookup-self", Set.of(Capability.READ, Capability.UPDATE)),
            new PathRule("auth/token/renew-self", Set.of(Capability.UPDATE)),
            new PathRule("auth/token/revoke-self", Set.of(Capability.UPDATE)),
            new PathRule("sys/capabilities-self", Set.of(Capability.UPDATE)),
            new PathRule("sys/leases/lookup", Set.of(Capability.UPDATE)),
            new PathRule("sys/leases/renew", Set.of(Capability.UPDATE)),
            new PathRule("sys/renew", Set.of(Capability.UPDATE)),
            new PathRule("sys/tools/hash", Set.of(Capability.UPDATE)),
            new PathRule("sys/tools/hash/*", Set.of(Capability.UPDATE)));

    private BuiltinPolicies() {
    }

    /** The rules of a built-in policy, or null for other names. */
    static List<PathRule> rules(String name) {
        return name.equals("default") ? DEFAULT : null;
    }
}
