package dev.latchkey.api.identity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An internal identity group: its policies reach every member entity, and every member of a member
 * group.
 */
public record Group(String id, String name, String type, List<String> policies, List<String> memberEntityIds,
                    List<String> memberGroupIds, Map<String, String> metadata, String created, String updated,
                    long modifyIndex) {
    public Group {
        policies = List.copyOf(policies);
        memberEntityIds = List.copyOf(memberEntityIds);
        memberGroupIds = List.copyOf(memberGroupIds);
        metadata = Map.copyOf(metadata);
    }

    Map<String, Object> toStorage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("type", type);
        m.put("policies", policies);
        m.put("member_entity_ids", memberEntityIds);
        m.put("member_group_ids", memberGroupIds);
        m.put("metadata", metadata);
        m.put("created", created);
        m.put("updated", updated);
        m.put("modify_index", modifyIndex);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Group fromStorage(Map<String, Object> m) {
        return new Group((String) m.get("id"), (String) m.get("name"), (String) m.getOrDefault("type", "internal"),
                (List<String>) m.getOrDefault("policies", List.of()),
                (List<String>) m.getOrDefault("member_entity_ids", List.of()),
                (List<String>) m.getOrDefault("member_group_ids", List.of()),
                (Map<String, String>) m.getOrDefault("metadata", Map.of()), (String) m.get("created"),
                (String) m.get("updated"), m.get("modify_index") instanceof Number n ? n.longValue() : 0);
    }
}
