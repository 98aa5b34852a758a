package dev.latchkey.engine.framework;

import java.util.Map;

/**
 * Who is asking: the facts about the caller's token that an engine may use (key IDs, identity
 * templates). Never the token itself.
 *
 * @param displayName token display name, "" when the request carried no token
 * @param accessor    token accessor, "" when none
 * @param metadata    token meta, never null
 */
public record Caller(String displayName, String accessor, Map<String, String> metadata) {
    public static final Caller ANONYMOUS = new Caller("", "", Map.of());

    public Caller {
        metadata = Map.copyOf(metadata);
    }

    public boolean isAnonymous() {
        return accessor.isEmpty();
    }
}
