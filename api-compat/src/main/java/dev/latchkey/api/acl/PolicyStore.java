package dev.latchkey.api.acl;

import dev.latchkey.engine.framework.EngineException;
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
    private final Map<List<String>, Built> acls = new ConcurrentHashMap<>();

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

    /** The text of a stored policy. */
    public Optional<String> text(String name) {
        return storage.get(PREFIX + name).map(b -> new String(b, StandardCharsets.UTF_8));
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
     * The ACL of a token's policies. The merged ACL of a set of policies is kept and used again
     * while each of them still has the very rules it was built from: a request costs a cached
     * read per policy and an identity check, not a merge of every rule.
     */
    public Acl acl(List<String> names) {
        if (names.contains("root")) {
            return Acl.root();
        }
        List<List<PathRule>> policies = new ArrayList<>(names.size());
        for (String name : names) {
            policies.add(rules(name));
        }
        Built known = acls.get(names);
        if (known != null && sameLists(known.from(), policies)) {
            return known.acl();
        }
        Acl acl = Acl.of(policies);
        if (acls.size() >= MAX_ACLS) {
            acls.clear(); // it only ever holds what can be built again
        }
        acls.put(List.copyOf(names), new Built(policies, acl));
        return acl;
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
