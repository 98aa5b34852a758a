package dev.latchkey.api.identity;

import dev.latchkey.api.mount.MountEntry;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code identity/}: entities, entity aliases, internal groups and entity lookup, in Vault's
 * shapes. Logins make entities and aliases themselves; these paths let operators name entities,
 * give them policies and metadata, bind a login to a prepared entity (an alias made ahead) and
 * group entities so a group's policies reach them all.
 */
public final class IdentityBackend extends LogicalBackend {
    public static final String TYPE = "identity";
    private static final String ID = "(?<id>[^/]+)";
    private static final String NAME = "(?<name>[^/]+)";

    private final IdentityStore store;
    private final MountTable mounts;

    public IdentityBackend(IdentityStore store, MountTable mounts) {
        this.store = store;
        this.mounts = mounts;
        register(entityFields(PathSpec.path("entity")).field("id", FieldType.STRING).on(Operation.UPDATE, this::writeEntity));
        register(PathSpec.path("entity/id/?").on(Operation.LIST, (r, f) -> listEntities(false)));
        register(PathSpec.path("entity/name/?").on(Operation.LIST, (r, f) -> listEntities(true)));
        register(entityFields(PathSpec.path("entity/id/" + ID).capture("id", "id"))
                .on(Operation.READ, (r, f) -> entity(store.entity(f.string("id"))))
                .on(Operation.UPDATE, this::writeEntity)
                .on(Operation.DELETE, (r, f) -> {
                    store.deleteEntity(f.string("id"));
                    return Response.empty();
                }));
        register(entityFields(PathSpec.path("entity/name/" + NAME).capture("name", "name"))
                .on(Operation.READ, (r, f) -> entity(store.entityByName(f.string("name"))))
                .on(Operation.UPDATE, this::writeEntity)
                .on(Operation.DELETE, (r, f) -> {
                    store.entityByName(f.string("name")).ifPresent(e -> store.deleteEntity(e.id()));
                    return Response.empty();
                }));
        register(aliasFields(PathSpec.path("entity-alias")).field("id", FieldType.STRING).on(Operation.UPDATE, this::writeAlias));
        register(PathSpec.path("entity-alias/id/?").on(Operation.LIST, this::listAliases));
        register(aliasFields(PathSpec.path("entity-alias/id/" + ID).capture("id", "id"))
                .on(Operation.READ, this::readAlias).on(Operation.UPDATE, this::writeAlias)
                .on(Operation.DELETE, (r, f) -> {
                    store.deleteAlias(f.string("id"));
                    return Response.empty();
                }));
        register(groupFields(PathSpec.path("group")).field("id", FieldType.STRING).on(Operation.UPDATE, this::writeGroup));
        register(PathSpec.path("group/id/?").on(Operation.LIST, (r, f) -> listGroups(false)));
        register(PathSpec.path("group/name/?").on(Operation.LIST, (r, f) -> listGroups(true)));
        register(groupFields(PathSpec.path("group/id/" + ID).capture("id", "id"))
                .on(Operation.READ, (r, f) -> group(store.group(f.string("id"))))
                .on(Operation.UPDATE, this::writeGroup)
                .on(Operation.DELETE, (r, f) -> {
                    store.deleteGroup(f.string("id"));
                    return Response.empty();
                }));
        register(groupFields(PathSpec.path("group/name/" + NAME).capture("name", "name"))
                .on(Operation.READ, (r, f) -> group(store.groupByName(f.string("name"))))
                .on(Operation.UPDATE, this::writeGroup)
                .on(Operation.DELETE, (r, f) -> {
                    store.groupByName(f.string("name")).ifPresent(g -> store.deleteGroup(g.id()));
                    return Response.empty();
                }));
        register(PathSpec.path("lookup/entity").field("id", FieldType.STRING).field("name", FieldType.STRING)
                .field("alias_id", FieldType.STRING).field("alias_name", FieldType.STRING)
                .field("alias_mount_accessor", FieldType.STRING).on(Operation.UPDATE, this::lookup));
    }

    @Override
    public String type() {
        return TYPE;
    }

    private static PathSpec entityFields(PathSpec p) {
        return p.field("name", FieldType.STRING).field("metadata", FieldType.STRING_MAP)
                .field("policies", FieldType.COMMA_STRING_SLICE).field("disabled", FieldType.BOOL);
    }

    private static PathSpec aliasFields(PathSpec p) {
        return p.field("name", FieldType.STRING).field("mount_accessor", FieldType.STRING)
                .field("canonical_id", FieldType.STRING).field("entity_id", FieldType.STRING)
                .field("custom_metadata", FieldType.STRING_MAP);
    }

    private static PathSpec groupFields(PathSpec p) {
        return p.field("name", FieldType.STRING).field("type", FieldType.STRING)
                .field("policies", FieldType.COMMA_STRING_SLICE).field("metadata", FieldType.STRING_MAP)
                .field("member_entity_ids", FieldType.COMMA_STRING_SLICE)
                .field("member_group_ids", FieldType.COMMA_STRING_SLICE);
    }

    // ---- entities

    private static List<String> checkedPolicies(Fields f) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(f.strings("policies")));
        for (String p : out) {
            if (p.strip().equalsIgnoreCase("root")) {
                throw EngineException.user("policies cannot contain root");
            }
        }
        return out;
    }

    /**
     * Creates or updates an entity: by {@code id} (from the body or the path), else by name (an
     * existing name updates that entity, answering 204, as Vault does), else a new one.
     */
    private Response writeEntity(Request r, Fields f) {
        List<String> policies = f.has("policies") ? checkedPolicies(f) : null;
        Optional<Entity> target;
        if (!f.string("id").isEmpty()) {
            target = Optional.of(store.entity(f.string("id")).orElseThrow(() -> EngineException.user("entity not found from id")));
        } else {
            target = f.string("name").isEmpty() ? Optional.empty() : store.entityByName(f.string("name"));
        }
        if (target.isEmpty()) {
            Entity e = store.createEntity(f.string("name"), f.stringMap("metadata"),
                    policies == null ? List.of() : policies, f.bool("disabled"));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", e.id());
            d.put("name", e.name());
            d.put("aliases", null);
            return Response.of(d);
        }
        String newName = f.string("name").isEmpty() ? null : f.string("name");
        store.updateEntity(target.get().id(), e -> new Entity(e.id(), newName == null ? e.name() : newName,
                f.has("metadata") ? f.stringMap("metadata") : e.metadata(), policies == null ? e.policies() : policies,
                f.has("disabled") ? f.bool("disabled") : e.disabled(), e.aliases(), e.created(), e.updated()));
        return Response.empty();
    }

    private Response entity(Optional<Entity> e) {
        return e.map(x -> Response.of(describe(x))).orElse(Response.empty());
    }

    Map<String, Object> describe(Entity e) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<Map<String, Object>> aliases = new ArrayList<>();
        for (Entity.Alias a : e.aliases()) {
            aliases.add(describeAlias(e, a));
        }
        Set<String> direct = store.directGroups(e.id());
        Set<String> inherited = store.ancestors(direct);
        List<String> all = new ArrayList<>(direct);
        all.addAll(inherited);
        d.put("aliases", aliases);
        d.put("creation_time", e.created());
        d.put("direct_group_ids", new ArrayList<>(direct));
        d.put("disabled", e.disabled());
        d.put("group_ids", all);
        d.put("id", e.id());
        d.put("inherited_group_ids", new ArrayList<>(inherited));
        d.put("last_update_time", e.updated());
        d.put("merged_entity_ids", null);
        d.put("metadata", e.metadata().isEmpty() ? null : e.metadata());
        d.put("name", e.name());
        d.put("namespace_id", "root");
        d.put("policies", e.policies());
        return d;
    }

    private Map<String, Object> describeAlias(Entity e, Entity.Alias a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("canonical_id", e.id());
        m.put("creation_time", a.created());
        m.put("custom_metadata", a.customMetadata().isEmpty() ? null : a.customMetadata());
        m.put("id", a.id());
        m.put("last_update_time", a.updated());
        m.put("local", false);
        m.put("merged_from_canonical_ids", null);
        m.put("metadata", a.metadata().isEmpty() ? null : a.metadata());
        m.put("mount_accessor", a.mountAccessor());
        Optional<MountEntry> mount = mounts.byAccessor(a.mountAccessor());
        if (mount.isPresent()) {
            m.put("mount_path", mount.get().path());
            m.put("mount_type", mount.get().type());
        }
        m.put("name", a.name());
        return m;
    }

    private Response listEntities(boolean byName) {
        List<String> keys = new ArrayList<>();
        Map<String, Object> info = new LinkedHashMap<>();
        for (String id : store.entityIds()) {
            store.entity(id).ifPresent(e -> {
                keys.add(byName ? e.name() : e.id());
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("name", e.name());
                if (!e.aliases().isEmpty()) {
                    List<Map<String, Object>> aliases = new ArrayList<>();
                    for (Entity.Alias a : e.aliases()) {
                        Map<String, Object> x = describeAlias(e, a);
                        x.keySet().retainAll(Set.of("id", "name", "mount_accessor", "mount_type", "mount_path"));
                        aliases.add(x);
                    }
                    i.put("aliases", aliases);
                }
                info.put(e.id(), i); // keyed by ID for both lists, as Vault keys them
            });
        }
        if (keys.isEmpty()) {
            return Response.empty();
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("keys", keys);
        d.put("key_info", info);
        return Response.of(d);
    }

    // ---- aliases

    private Response writeAlias(Request r, Fields f) {
        String canonical = !f.string("canonical_id").isEmpty() ? f.string("canonical_id") : f.string("entity_id");
        if (!f.string("id").isEmpty()) {
            Entity.Alias a = store.updateAlias(f.string("id"), f.has("name") ? f.string("name") : null,
                    f.has("custom_metadata") ? f.stringMap("custom_metadata") : null);
            Entity owner = store.aliasOwner(a.id()).orElseThrow();
            return Response.of(Map.of("id", a.id(), "canonical_id", owner.id()));
        }
        String accessor = f.string("mount_accessor");
        String name = f.string("name");
        if (accessor.isEmpty() || name.isEmpty()) {
            throw EngineException.user("'id' or 'mount_accessor' and 'name' must be provided");
        }
        if (mounts.byAccessor(accessor).filter(MountEntry::isAuth).isEmpty()) {
            throw EngineException.user("invalid mount accessor " + GoFormat.q(accessor));
        }
        Optional<String> existing = store.aliasIdFor(accessor, name);
        if (existing.isPresent()) {
            Entity.Alias a = store.updateAlias(existing.get(), null,
                    f.has("custom_metadata") ? f.stringMap("custom_metadata") : null);
            return Response.of(Map.of("id", a.id(), "canonical_id", store.aliasOwner(a.id()).orElseThrow().id()));
        }
        Entity.Alias a = store.createAlias(accessor, name, canonical.isEmpty() ? null : canonical,
                f.stringMap("custom_metadata"));
        return Response.of(Map.of("id", a.id(), "canonical_id", store.aliasOwner(a.id()).orElseThrow().id()));
    }

    private Response readAlias(Request r, Fields f) {
        Optional<Entity> owner = store.aliasOwner(f.string("id"));
        if (owner.isEmpty()) {
            return Response.empty();
        }
        Map<String, Object> d = describeAlias(owner.get(), IdentityStore.find(owner.get(), f.string("id")));
        d.put("namespace_id", "root");
        return Response.of(d);
    }

    private Response listAliases(Request r, Fields f) {
        List<String> keys = new ArrayList<>();
        Map<String, Object> info = new LinkedHashMap<>();
        for (String id : store.aliasIds()) {
            store.aliasOwner(id).ifPresent(e -> {
                keys.add(id);
                Map<String, Object> x = describeAlias(e, IdentityStore.find(e, id));
                x.keySet().retainAll(Set.of("canonical_id", "custom_metadata", "name", "mount_accessor", "mount_path",
                        "mount_type"));
                info.put(id, x);
            });
        }
        if (keys.isEmpty()) {
            return Response.empty();
        }
        return Response.of(Map.of("keys", keys, "key_info", info));
    }

    // ---- groups

    private Response writeGroup(Request r, Fields f) {
        Optional<Group> target;
        if (!f.string("id").isEmpty()) {
            target = Optional.of(store.group(f.string("id")).orElseThrow(() -> EngineException.user("invalid group ID")));
        } else {
            target = f.string("name").isEmpty() ? Optional.empty() : store.groupByName(f.string("name"));
        }
        String type = f.string("type").isEmpty() ? target.map(Group::type).orElse("internal")
                : f.string("type").toLowerCase(Locale.ROOT);
        if (!type.equals("internal") && !type.equals("external")) {
            throw EngineException.user("invalid group type " + GoFormat.q(type));
        }
        if (type.equals("external")) {
            throw EngineException.user("external groups are not supported yet: use an internal group");
        }
        if (target.isPresent() && !target.get().type().equals(type)) {
            throw EngineException.user("group type cannot be changed");
        }
        List<String> policies = new ArrayList<>();
        if (f.has("policies")) {
            for (String p : new LinkedHashSet<>(f.strings("policies"))) {
                if (p.strip().equalsIgnoreCase("root")) {
                    throw EngineException.user("policies cannot contain root");
                }
                policies.add(p.strip().toLowerCase(Locale.ROOT));
            }
        }
        List<String> entities = f.has("member_entity_ids") ? f.strings("member_entity_ids")
                : target.map(Group::memberEntityIds).orElse(List.of());
        List<String> groups = f.has("member_group_ids") ? f.strings("member_group_ids")
                : target.map(Group::memberGroupIds).orElse(List.of());
        for (String id : entities) {
            if (store.entity(id).isEmpty()) {
                // Vault answers an unknown member with a 500; it is the caller's mistake
                throw EngineException.user("entity " + GoFormat.q(id) + " does not exist");
            }
        }
        String id = target.map(Group::id).orElse(UUID.randomUUID().toString());
        for (String g : groups) {
            if (store.group(g).isEmpty()) {
                throw EngineException.user("group " + GoFormat.q(g) + " does not exist");
            }
            if (g.equals(id) || store.ancestors(Set.of(id)).contains(g)) {
                throw EngineException.user("invalid member group: " + GoFormat.q(g) + " would make a cycle");
            }
        }
        String now = IdentityStore.now();
        String name = !f.string("name").isEmpty() ? f.string("name")
                : target.map(Group::name).orElse("group_" + UUID.randomUUID().toString().substring(0, 8));
        Group g = new Group(id, name, type, f.has("policies") ? policies : target.map(Group::policies).orElse(List.of()),
                entities, groups, f.has("metadata") ? f.stringMap("metadata") : target.map(Group::metadata).orElse(Map.of()),
                target.map(Group::created).orElse(now), now, target.map(x -> x.modifyIndex() + 1).orElse(1L));
        store.putGroup(g);
        if (target.isPresent()) {
            return Response.empty();
        }
        return Response.of(Map.of("id", id, "name", name));
    }

    private Response group(Optional<Group> g) {
        if (g.isEmpty()) {
            return Response.empty();
        }
        Group x = g.get();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("alias", Map.of());
        d.put("creation_time", x.created());
        d.put("id", x.id());
        d.put("last_update_time", x.updated());
        d.put("member_entity_ids", x.memberEntityIds());
        d.put("member_group_ids", x.memberGroupIds());
        d.put("metadata", x.metadata().isEmpty() ? null : x.metadata());
        d.put("modify_index", x.modifyIndex());
        d.put("name", x.name());
        d.put("namespace_id", "root");
        List<String> parents = new ArrayList<>();
        for (Group other : store.groups().values()) {
            if (other.memberGroupIds().contains(x.id())) {
                parents.add(other.id());
            }
        }
        d.put("parent_group_ids", parents);
        d.put("policies", x.policies());
        d.put("type", x.type());
        return Response.of(d);
    }

    private Response listGroups(boolean byName) {
        List<String> keys = new ArrayList<>();
        Map<String, Object> info = new LinkedHashMap<>();
        for (Group g : store.groups().values()) {
            keys.add(byName ? g.name() : g.id());
            long parents = store.groups().values().stream().filter(o -> o.memberGroupIds().contains(g.id())).count();
            info.put(g.id(), Map.of("name", g.name(), "num_member_entities", g.memberEntityIds().size(),
                    "num_parent_groups", parents));
        }
        if (keys.isEmpty()) {
            return Response.empty();
        }
        keys.sort(null);
        return Response.of(Map.of("keys", keys, "key_info", info));
    }

    // ---- lookup

    private Response lookup(Request r, Fields f) {
        int given = (f.string("id").isEmpty() ? 0 : 1) + (f.string("name").isEmpty() ? 0 : 1)
                + (f.string("alias_id").isEmpty() ? 0 : 1)
                + (f.string("alias_name").isEmpty() && f.string("alias_mount_accessor").isEmpty() ? 0 : 1);
        if (given == 0) {
            throw EngineException.user("query parameter not supplied");
        }
        if (given > 1) {
            throw EngineException.user("query parameter conflict; please supply distinct set of query parameters");
        }
        Optional<Entity> found;
        if (!f.string("id").isEmpty()) {
            found = store.entity(f.string("id"));
        } else if (!f.string("name").isEmpty()) {
            found = store.entityByName(f.string("name"));
        } else if (!f.string("alias_id").isEmpty()) {
            found = store.aliasOwner(f.string("alias_id"));
        } else {
            if (f.string("alias_name").isEmpty() || f.string("alias_mount_accessor").isEmpty()) {
                throw EngineException.user("both 'alias_name' and 'alias_mount_accessor' needs to be set");
            }
            found = store.aliasIdFor(f.string("alias_mount_accessor"), f.string("alias_name")).flatMap(store::aliasOwner);
        }
        // not found is a 204 here, as in Vault
        return found.map(e -> Response.of(describe(e))).orElse(Response.empty());
    }
}
