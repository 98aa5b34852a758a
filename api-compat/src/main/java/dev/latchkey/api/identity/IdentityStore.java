package dev.latchkey.api.identity;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.EntityView;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Entities, their aliases and groups. Each entity is one record holding its aliases, so one read
 * (through every member's cache) gives a request all it needs; small index records map names to
 * IDs. Names of entities, groups and aliases are matched without regard to case, as a fresh Vault
 * store matches them, and kept as first written.
 *
 * <p>Atomicity: an entity changes by one compare-and-set update of its record. The index that makes
 * (mount accessor, alias name) unique is claimed with put-if-absent before the alias is added, so
 * two logins racing for a new alias make one entity, not two. Group changes write the group and
 * then a new groups version; readers rebuild their view of the groups when that version changes.
 */
public final class IdentityStore {
    private static final String ENTITY = "core/identity/entity/";
    private static final String ENTITY_NAME = "core/identity/entity-name/";
    private static final String ALIAS = "core/identity/alias/";
    private static final String ALIAS_INDEX = "core/identity/alias-index/";
    private static final String GROUP = "core/identity/group/";
    private static final String GROUP_NAME = "core/identity/group-name/";
    private static final String GROUPS_VERSION = "core/identity/groups-version";

    private final Storage storage;
    private volatile Groups groups = new Groups(null, Map.of());

    /** The groups as last read, with the version record they were read at. */
    private record Groups(byte[] version, Map<String, Group> byId) {
    }

    public IdentityStore(Storage storage) {
        this.storage = storage;
    }

    static String now() {
        return Instant.now().toString();
    }

    private static String key(String name) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    // ---- entities

    public Optional<Entity> entity(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        return storage.get(ENTITY + id).map(b -> Entity.fromStorage(JsonValues.decode(b)));
    }

    public Optional<Entity> entityByName(String name) {
        return storage.get(ENTITY_NAME + key(name)).flatMap(id -> entity(new String(id, StandardCharsets.UTF_8)));
    }

    public List<String> entityIds() {
        return storage.list(ENTITY).stream().filter(k -> !k.endsWith("/")).sorted().toList();
    }

    /** Creates an entity; a null or empty name becomes Vault's {@code entity_<8 hex>}. */
    public Entity createEntity(String name, Map<String, String> metadata, List<String> policies, boolean disabled) {
        String id = UUID.randomUUID().toString();
        String chosen = name == null || name.isEmpty() ? "entity_" + HexFormat.of().formatHex(Randomness.bytes(4)) : name;
        if (!storage.putIfAbsent(ENTITY_NAME + key(chosen), id.getBytes(StandardCharsets.UTF_8))) {
            throw EngineException.user("entity name is already in use");
        }
        String now = now();
        Entity e = new Entity(id, chosen, metadata, policies, disabled, List.of(), now, now);
        storage.put(ENTITY + id, JsonValues.encode(e.toStorage()));
        return e;
    }

    /** Changes an entity by one atomic update; a rename moves its name index. */
    public Entity updateEntity(String id, UnaryOperator<Entity> change) {
        Entity before = entity(id).orElseThrow(() -> EngineException.user("entity not found from id"));
        Entity[] after = {null};
        Entity proposed = change.apply(before);
        if (!proposed.name().equalsIgnoreCase(before.name())) {
            if (!storage.putIfAbsent(ENTITY_NAME + key(proposed.name()), id.getBytes(StandardCharsets.UTF_8))) {
                throw EngineException.user("entity name is already in use");
            }
            storage.delete(ENTITY_NAME + key(before.name()));
        }
        storage.update(ENTITY + id, current -> {
            if (current == null) {
                return null;
            }
            Entity e = change.apply(Entity.fromStorage(JsonValues.decode(current)));
            after[0] = new Entity(e.id(), e.name(), e.metadata(), e.policies(), e.disabled(), e.aliases(), e.created(), now());
            return JsonValues.encode(after[0].toStorage());
        });
        if (after[0] == null) {
            throw EngineException.user("entity not found from id");
        }
        return after[0];
    }

    /** Deletes an entity, its aliases and its memberships; an unknown ID is not an error. */
    public void deleteEntity(String id) {
        Optional<Entity> e = entity(id);
        if (e.isEmpty()) {
            return;
        }
        for (Entity.Alias a : e.get().aliases()) {
            storage.delete(ALIAS_INDEX + a.mountAccessor() + "/" + key(a.name()));
            storage.delete(ALIAS + a.id());
        }
        storage.delete(ENTITY + id);
        storage.delete(ENTITY_NAME + key(e.get().name()));
        for (Group g : groups().values()) {
            if (g.memberEntityIds().contains(id)) {
                List<String> members = new ArrayList<>(g.memberEntityIds());
                members.remove(id);
                putGroup(withMembers(g, members, g.memberGroupIds()));
            }
        }
    }

    // ---- logins

    /**
     * The entity that owns the alias (mount accessor, alias name), created with that one alias if
     * none does. A found alias with exactly this name has its metadata replaced by the login's; one
     * that differs only in case is left as it was (its first spelling is what templates render).
     */
    public Entity loginEntity(String accessor, String aliasName, Map<String, String> metadata) {
        String index = ALIAS_INDEX + accessor + "/" + key(aliasName);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<String> aliasId = storage.get(index).map(b -> new String(b, StandardCharsets.UTF_8));
            if (aliasId.isPresent()) {
                Optional<Entity> owner = aliasOwner(aliasId.get());
                if (owner.isPresent()) {
                    Entity e = owner.get();
                    Entity.Alias a = find(e, aliasId.get());
                    if (a != null && a.name().equals(aliasName) && !a.metadata().equals(metadata)) {
                        return updateEntity(e.id(), x -> replaceAlias(x, aliasId.get(), al -> new Entity.Alias(al.id(),
                                al.mountAccessor(), al.name(), metadata, al.customMetadata(), al.created(), now())));
                    }
                    return e;
                }
                storage.delete(index); // an alias whose entity is gone: the login makes a fresh one
                continue;
            }
            String newAlias = UUID.randomUUID().toString();
            if (!storage.putIfAbsent(index, newAlias.getBytes(StandardCharsets.UTF_8))) {
                continue; // another login claimed it first: use theirs
            }
            Entity created = createEntity(null, Map.of(), List.of(), false);
            storage.put(ALIAS + newAlias, created.id().getBytes(StandardCharsets.UTF_8));
            String now = now();
            return updateEntity(created.id(), x -> x.withAliases(List.of(new Entity.Alias(newAlias, accessor, aliasName,
                    metadata, Map.of(), now, now)), now));
        }
        throw new IllegalStateException("the alias index for " + accessor + " kept changing under a login");
    }

    // ---- aliases

    /** The entity holding the alias with this ID. */
    public Optional<Entity> aliasOwner(String aliasId) {
        return storage.get(ALIAS + aliasId).flatMap(b -> entity(new String(b, StandardCharsets.UTF_8)))
                .filter(e -> find(e, aliasId) != null);
    }

    public List<String> aliasIds() {
        return storage.list(ALIAS).stream().filter(k -> !k.endsWith("/")).sorted().toList();
    }

    public Optional<String> aliasIdFor(String accessor, String name) {
        return storage.get(ALIAS_INDEX + accessor + "/" + key(name)).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    static Entity.Alias find(Entity e, String aliasId) {
        for (Entity.Alias a : e.aliases()) {
            if (a.id().equals(aliasId)) {
                return a;
            }
        }
        return null;
    }

    private static Entity replaceAlias(Entity e, String aliasId, UnaryOperator<Entity.Alias> change) {
        List<Entity.Alias> out = new ArrayList<>();
        for (Entity.Alias a : e.aliases()) {
            out.add(a.id().equals(aliasId) ? change.apply(a) : a);
        }
        return e.withAliases(out, now());
    }

    /**
     * Adds an alias to an entity (a new entity when {@code entityId} is null). Refuses a second
     * alias on the same mount for one entity, and a (mount, name) pair that exists.
     */
    public Entity.Alias createAlias(String accessor, String name, String entityId, Map<String, String> customMetadata) {
        Entity owner = entityId == null ? createEntity(null, Map.of(), List.of(), false)
                : entity(entityId).orElseThrow(() -> EngineException.user("invalid canonical ID"));
        for (Entity.Alias a : owner.aliases()) {
            if (a.mountAccessor().equals(accessor)) {
                throw EngineException.user("Alias already exists for requested entity and mount accessor");
            }
        }
        String id = UUID.randomUUID().toString();
        if (!storage.putIfAbsent(ALIAS_INDEX + accessor + "/" + key(name), id.getBytes(StandardCharsets.UTF_8))) {
            throw EngineException.user("alias with combination of mount accessor and name already exists");
        }
        storage.put(ALIAS + id, owner.id().getBytes(StandardCharsets.UTF_8));
        String now = now();
        Entity.Alias alias = new Entity.Alias(id, accessor, name, Map.of(), customMetadata, now, now);
        updateEntity(owner.id(), e -> {
            List<Entity.Alias> all = new ArrayList<>(e.aliases());
            all.add(alias);
            return e.withAliases(all, now);
        });
        return alias;
    }

    /** Renames an alias or replaces its custom metadata. */
    public Entity.Alias updateAlias(String aliasId, String newName, Map<String, String> customMetadata) {
        Entity owner = aliasOwner(aliasId).orElseThrow(() -> EngineException.user("invalid alias ID provided"));
        Entity.Alias a = find(owner, aliasId);
        if (newName != null && !newName.equals(a.name())) {
            if (!storage.putIfAbsent(ALIAS_INDEX + a.mountAccessor() + "/" + key(newName),
                    aliasId.getBytes(StandardCharsets.UTF_8))) {
                if (!newName.equalsIgnoreCase(a.name())) {
                    throw EngineException.user("alias with combination of mount accessor and name already exists");
                }
            } else {
                storage.delete(ALIAS_INDEX + a.mountAccessor() + "/" + key(a.name()));
            }
        }
        Entity updated = updateEntity(owner.id(), e -> replaceAlias(e, aliasId, x -> new Entity.Alias(x.id(),
                x.mountAccessor(), newName == null ? x.name() : newName, x.metadata(),
                customMetadata == null ? x.customMetadata() : customMetadata, x.created(), now())));
        return find(updated, aliasId);
    }

    public void deleteAlias(String aliasId) {
        Optional<Entity> owner = aliasOwner(aliasId);
        if (owner.isEmpty()) {
            storage.delete(ALIAS + aliasId);
            return;
        }
        Entity.Alias a = find(owner.get(), aliasId);
        updateEntity(owner.get().id(), e -> e.withAliases(e.aliases().stream().filter(x -> !x.id().equals(aliasId)).toList(),
                now()));
        storage.delete(ALIAS_INDEX + a.mountAccessor() + "/" + key(a.name()));
        storage.delete(ALIAS + aliasId);
    }

    // ---- groups

    /** Every group, read again only when a group has changed on any node. */
    public Map<String, Group> groups() {
        byte[] version = storage.get(GROUPS_VERSION).orElse(null);
        Groups g = groups;
        if (version != g.version() && (version == null || g.version() == null
                || !java.util.Arrays.equals(version, g.version()))) {
            Map<String, Group> byId = new LinkedHashMap<>();
            for (String id : storage.list(GROUP)) {
                if (!id.endsWith("/")) {
                    storage.get(GROUP + id).ifPresent(b -> byId.put(id, Group.fromStorage(JsonValues.decode(b))));
                }
            }
            g = new Groups(version, Map.copyOf(byId));
            groups = g;
        }
        return g.byId();
    }

    public Optional<Group> group(String id) {
        return Optional.ofNullable(groups().get(id));
    }

    public Optional<Group> groupByName(String name) {
        return storage.get(GROUP_NAME + key(name)).flatMap(id -> group(new String(id, StandardCharsets.UTF_8)));
    }

    /** Stores a group (new or changed) and its name index, and tells every reader the groups changed. */
    public void putGroup(Group g) {
        Optional<Group> before = Optional.ofNullable(groups().get(g.id()));
        if (before.isEmpty() || !before.get().name().equalsIgnoreCase(g.name())) {
            if (!storage.putIfAbsent(GROUP_NAME + key(g.name()), g.id().getBytes(StandardCharsets.UTF_8))) {
                throw EngineException.user("group name is already in use");
            }
            before.ifPresent(b -> storage.delete(GROUP_NAME + key(b.name())));
        }
        storage.put(GROUP + g.id(), JsonValues.encode(g.toStorage()));
        bumpGroups();
    }

    public void deleteGroup(String id) {
        Optional<Group> g = group(id);
        if (g.isEmpty()) {
            return;
        }
        storage.delete(GROUP + id);
        storage.delete(GROUP_NAME + key(g.get().name()));
        for (Group other : groups().values()) {
            if (other.memberGroupIds().contains(id)) {
                List<String> members = new ArrayList<>(other.memberGroupIds());
                members.remove(id);
                storage.put(GROUP + other.id(), JsonValues.encode(withMembers(other, other.memberEntityIds(), members).toStorage()));
            }
        }
        bumpGroups();
    }

    private void bumpGroups() {
        storage.put(GROUPS_VERSION, Randomness.bytes(16));
    }

    static Group withMembers(Group g, List<String> entities, List<String> memberGroups) {
        return new Group(g.id(), g.name(), g.type(), g.policies(), entities, memberGroups, g.metadata(), g.created(),
                now(), g.modifyIndex() + 1);
    }

    /** The groups an entity is in directly. */
    public Set<String> directGroups(String entityId) {
        Set<String> out = new TreeSet<>();
        for (Group g : groups().values()) {
            if (g.memberEntityIds().contains(entityId)) {
                out.add(g.id());
            }
        }
        return out;
    }

    /** The groups that contain these, transitively (not these themselves). */
    public Set<String> ancestors(Set<String> groupIds) {
        Map<String, List<String>> parents = new HashMap<>();
        for (Group g : groups().values()) {
            for (String child : g.memberGroupIds()) {
                parents.computeIfAbsent(child, k -> new ArrayList<>()).add(g.id());
            }
        }
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(groupIds);
        while (!todo.isEmpty()) {
            for (String p : parents.getOrDefault(todo.pop(), List.of())) {
                if (!groupIds.contains(p) && out.add(p)) {
                    todo.push(p);
                }
            }
        }
        return out;
    }

    /**
     * The policies an entity brings to its tokens: its own and those of every group it is in,
     * directly or through a member group. Recomputed per request, so a change applies at once.
     */
    public List<String> identityPolicies(Entity e) {
        Set<String> out = new TreeSet<>();
        e.policies().forEach(p -> out.add(p.strip().toLowerCase(Locale.ROOT)));
        Set<String> direct = directGroups(e.id());
        Set<String> all = new LinkedHashSet<>(direct);
        all.addAll(ancestors(direct));
        Map<String, Group> byId = groups();
        for (String id : all) {
            Group g = byId.get(id);
            if (g != null) {
                g.policies().forEach(p -> out.add(p.strip().toLowerCase(Locale.ROOT)));
            }
        }
        out.remove("");
        return new ArrayList<>(out);
    }

    /** The entity as templates see it. */
    public EntityView view(Entity e) {
        Map<String, EntityView.Alias> aliases = new HashMap<>();
        for (Entity.Alias a : e.aliases()) {
            aliases.put(a.mountAccessor(), new EntityView.Alias(a.id(), a.name(), a.metadata()));
        }
        Set<String> direct = directGroups(e.id());
        Set<String> all = new LinkedHashSet<>(direct);
        all.addAll(ancestors(direct));
        Map<String, String> names = new HashMap<>();
        Map<String, Map<String, String>> meta = new HashMap<>();
        Map<String, Group> byId = groups();
        for (String id : all) {
            Group g = byId.get(id);
            if (g != null) {
                names.put(id, g.name());
                meta.put(id, g.metadata());
            }
        }
        return new EntityView(e.id(), e.name(), e.metadata(), aliases, names, meta);
    }
}
