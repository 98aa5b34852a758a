package dev.latchkey.engine.framework;

import java.util.Map;

/**
 * The identity entity a token belongs to, as templates see it: its ID, name and metadata, its
 * aliases by the accessor of the auth mount each came from, and the groups it is a member of
 * (directly or through a member group).
 *
 * @param aliases by mount accessor
 * @param groups  group ID to group name
 */
public record EntityView(String id, String name, Map<String, String> metadata, Map<String, Alias> aliases,
                         Map<String, String> groups, Map<String, Map<String, String>> groupMetadata) {
    public EntityView {
        metadata = Map.copyOf(metadata);
        aliases = Map.copyOf(aliases);
        groups = Map.copyOf(groups);
        groupMetadata = Map.copyOf(groupMetadata);
    }

    /** One alias of the entity: the name it logged in with on one auth mount. */
    public record Alias(String id, String name, Map<String, String> metadata) {
        public Alias {
            metadata = Map.copyOf(metadata);
        }
    }
}
