package dev.latchkey.engine.framework;

import java.util.Map;

/**
 * Who is asking: the facts about the caller's token that an engine may use (key IDs, identity
 * templates). Never the token itself.
 *
 * @param displayName token display name, "" when the request carried no token
 * @param accessor    token accessor, "" when none
 * @param metadata    token meta, never null
 * @param entity      the identity entity the token belongs to, or null for a token made without a login
 */
public record Caller(String displayName, String accessor, Map<String, String> metadata, EntityView entity) {
    public static final Caller ANONYMOUS = new Caller("", "", Map.of());

    public Caller {
        metadata = Map.copyOf(metadata);
    }

    /** A caller whose token has no entity. */
    public Caller(String displayName, String accessor, Map<String, String> metadata) {
        this(displayName, accessor, metadata, null);
    }

    public boolean isAnonymous() {
        return accessor.isEmpty();
    }
}
