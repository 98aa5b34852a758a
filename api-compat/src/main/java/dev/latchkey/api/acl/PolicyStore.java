package dev.latchkey.api.acl;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.IdentityTemplate;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ACL policies an operator wrote, each stored as the text it was written in (returned byte for
 * byte), under {@code core/policy/acl/<name>}. Those keys are read through every member's cache,
 * which a write on any member clears before it answers, so a changed policy applies on every node
 * from the next request. Each text is parsed once: the parsed rules are kept beside the stored
 * bytes they came from and parsed again only when those change.
 *
 * <p>{@code root} is never stored and cannot be written or deleted; {@code default} may be
 * rewritten but not deleted, and until it is written its rules are the built-in ones.
 */
public final class PolicyStore {
    private static final String PREFIX = "core/policy/acl/";
    /** Names no one may write: Vault's own policies. */
    private static final Set<String> RESERVED = Set.of("root", "response-wrapping", "control-group");

    private record Parsed(byte[] text, List<PathRule> rules) {
    }

    /** An ACL and the rule lists (by identity) it was merged from. */
    private record Built(List<List<PathRule>> from, Acl acl) {
    }

    /** Beyond this many distinct policy sets the ACL cache starts over. */
    private static final int MAX_ACLS = 10_000;

    private final Storage storage;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final Map<Key, Built> acls = new ConcurrentHashMap<>();

    public PolicyStore(Storage storage) {
        this.storage = storage;
    }

    /** The stored names, sorted, with {@code default} whether stored or built in. */
    public List<String> names() {
        List<String> names = new ArrayList<>(storage.list(PREFIX).stream().filter(n -> !n.endsWith("/")).toList());
        if (!names.contains("default")) {
            names.add("default");
        }
        names.sort(null);
        return names;
    }

    /** The text of a policy: as stored, else a built-in policy's own. */
    public Optional<String> text(String name) {
        Optional<String> stored = storage.get(PREFIX + name).map(b -> new String(b, StandardCharsets.UTF_8));
        return stored.isPresent() ? stored : Optional.ofNullable(BuiltinPolicies.text(name));
    }

    /** Whether a policy of this name exists: stored, built in, or {@code root}. */
    public boolean exists(String name) {
        return name.equals("root") || BuiltinPolicies.text(name) != null || storage.get(PREFIX + name).isPresent();
    }

    /** Whether tokens may carry the policy: Vault's internal ones are for its own tokens only. */
    public static boolean assignable(String name) {
        return !name.equals("response-wrapping") && !name.equals("control-group");
    }

    /** Parses and stores a policy; the name is already trimmed and lower-cased. */
    public void write(String name, String text) {
        if (RESERVED.contains(name)) {
            throw EngineException.user("cannot update " + GoFormat.q(name) + " policy");
        }
        PolicyParser.parse(text); // refuses what Vault refuses, before anything is stored
        storage.put(PREFIX + name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes a policy; an unknown name is not an error. */
    public void delete(String name) {
        if (RESERVED.contains(name)) {
            throw EngineException.user("cannot delete " + GoFormat.q(name) + " policy");
        }
        if (name.equals("default")) {
            throw EngineException.user("cannot delete default policy");
        }
        storage.delete(PREFIX + name);
        parsed.remove(name);
    }

    /** The rules of a policy by name: stored, else built in; none for an unknown name. */
    List<PathRule> rules(String name) {
        Optional<byte[]> stored = storage.get(PREFIX + name);
        if (stored.isEmpty()) {
            parsed.remove(name);
            List<PathRule> builtin = BuiltinPolicies.rules(name);
            return builtin == null ? List.of() : builtin;
        }
        byte[] text = stored.get();
        Parsed known = parsed.get(name);
        if (known != null && (known.text() == text || Arrays.equals(known.text(), text))) {
            return known.rules();
        }
        List<PathRule> rules = PolicyParser.parse(new String(text, StandardCharsets.UTF_8));
        parsed.put(name, new Parsed(text, rules));
        return rules;
    }

    /**
     * The ACL of a token's policies, for this caller. The merged ACL of a set of policies is kept
     * and used again while each of them still has the very rules it was built from: a request costs
     * a cached read per policy and an identity check, not a merge of every rule.
     *
     * <p>A rule whose path holds identity placeholders is rendered for the caller (its display name
     * as {@code identity.entity.name}, its accessor as {@code identity.entity.id}, its metadata as
     * {@code identity.entity.metadata.K}, as the SSH engine renders role templates); a rule that
     * cannot be rendered (a missing metadata key, an unknown placeholder) is left out and the rest
     * of the policy applies, as Vault drops a templated path its entity cannot fill. Such sets are
     * kept per caller.
     */
    public Acl acl(List<String> names, Caller caller) {
        if (names.contains("root")) {
            return Acl.root();
        }
        List<List<PathRule>> policies = new ArrayList<>(names.size());
        boolean templated = false;
        for (String name : names) {
            List<PathRule> rules = rules(name);
            policies.add(rules);
            templated |= hasTemplates(rules);
        }
        Key key = new Key(names, templated ? caller : null);
        Built known = acls.get(key);
        if (known != null && sameLists(known.from(), policies)) {
            return known.acl();
        }
        Acl acl = Acl.of(templated ? rendered(policies, caller) : policies);
        if (acls.size() >= MAX_ACLS) {
            acls.clear(); // it only ever holds what can be built again
        }
        acls.put(new Key(List.copyOf(names), key.caller()), new Built(policies, acl));
        return acl;
    }

    /** An ACL cache key: the policy names, and the caller for sets with templated rules. */
    private record Key(List<String> names, Caller caller) {
    }

    private static boolean hasTemplates(List<PathRule> rules) {
        for (PathRule rule : rules) {
            if (rule.isTemplated()) {
                return true;
            }
        }
        return false;
    }

    private static List<List<PathRule>> rendered(List<List<PathRule>> policies, Caller caller) {
        List<List<PathRule>> out = new ArrayList<>(policies.size());
        for (List<PathRule> rules : policies) {
            List<PathRule> mine = new ArrayList<>(rules.size());
            for (PathRule rule : rules) {
                if (!rule.isTemplated()) {
                    mine.add(rule);
                } else {
                    IdentityTemplate.tryRender(rule.pattern(), caller).ifPresent(p -> mine.add(rule.withPattern(p)));
                }
            }
            out.add(mine);
        }
        return out;
    }

    private static boolean sameLists(List<List<PathRule>> a, List<List<PathRule>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
