package dev.latchkey.api.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An identity entity: one person or machine, however many auth mounts it logs in through. It
 * holds its aliases (at most one per mount accessor), so that one read gives everything a
 * template or a policy needs.
 *
 * @param created RFC 3339 with nanoseconds, as Vault writes times
 */
public record Entity(String id, String name, Map<String, String> metadata, List<String> policies, boolean disabled,
                     List<Alias> aliases, String created, String updated) {
    public Entity {
        metadata = Map.copyOf(metadata);
        policies = List.copyOf(policies);
        aliases = List.copyOf(aliases);
    }

    /** One alias: the name this entity has on one auth mount. */
    public record Alias(String id, String mountAccessor, String name, Map<String, String> metadata,
                        Map<String, String> customMetadata, String created, String updated) {
        public Alias {
            metadata = Map.copyOf(metadata);
            customMetadata = Map.copyOf(customMetadata);
        }

        Map<String, Object> toStorage() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("mount_accessor", mountAccessor);
            m.put("name", name);
            m.put("metadata", metadata);
            m.put("custom_metadata", customMetadata);
            m.put("created", created);
            m.put("updated", updated);
            return m;
        }

        @SuppressWarnings("unchecked")
        static Alias fromStorage(Map<String, Object> m) {
            return new Alias((String) m.get("id"), (String) m.get("mount_accessor"), (String) m.get("name"),
                    (Map<String, String>) m.getOrDefault("metadata", Map.of()),
                    (Map<String, String>) m.getOrDefault("custom_metadata", Map.of()),
                    (String) m.get("created"), (String) m.get("updated"));
        }
    }

    Entity withAliases(List<Alias> replaced, String now) {
        return new Entity(id, name, metadata, policies, disabled, replaced, created, now);
    }

    Map<String, Object> toStorage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("metadata", metadata);
        m.put("policies", policies);
        m.put("disabled", disabled);
        List<Map<String, Object>> a = new ArrayList<>();
        aliases.forEach(x -> a.add(x.toStorage()));
        m.put("aliases", a);
        m.put("created", created);
        m.put("updated", updated);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Entity fromStorage(Map<String, Object> m) {
        List<Alias> aliases = new ArrayList<>();
        for (Object a : (List<Object>) m.getOrDefault("aliases", List.of())) {
            aliases.add(Alias.fromStorage((Map<String, Object>) a));
        }
        return new Entity((String) m.get("id"), (String) m.get("name"),
                (Map<String, String>) m.getOrDefault("metadata", Map.of()),
                (List<String>) m.getOrDefault("policies", List.of()), Boolean.TRUE.equals(m.get("disabled")),
                aliases, (String) m.get("created"), (String) m.get("updated"));
    }
}
