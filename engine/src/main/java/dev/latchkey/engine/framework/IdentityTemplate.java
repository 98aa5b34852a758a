package dev.latchkey.engine.framework;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identity templates as Latchkey defines them: a request's identity is its token, so
 * {@code {{identity.entity.name}}} is the token's display name, {@code {{identity.entity.id}}} its
 * accessor and {@code {{identity.entity.metadata.KEY}}} its meta KEY. The SSH engine's role fields
 * and the paths of ACL policies are rendered alike.
 */
public final class IdentityTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final String METADATA = "identity.entity.metadata.";

    private IdentityTemplate() {
    }

    public static boolean isTemplate(String text) {
        return PLACEHOLDER.matcher(text).find();
    }

    /** Renders every placeholder; an unknown one fails with Vault's message. */
    public static String render(String template, Caller caller) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(template, m.group(1), caller)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Renders every placeholder, or answers empty when one cannot be rendered for this caller (an
     * anonymous caller, a missing metadata key, an unknown placeholder).
     */
    public static Optional<String> tryRender(String template, Caller caller) {
        try {
            return Optional.of(render(template, caller));
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    private static String value(String template, String name, Caller caller) {
        if (caller.isAnonymous()) {
            throw failure(template, "no entity found");
        }
        if (name.equals("identity.entity.name")) {
            return caller.displayName();
        }
        if (name.equals("identity.entity.id")) {
            return caller.accessor();
        }
        if (name.startsWith(METADATA)) {
            String value = caller.metadata().get(name.substring(METADATA.length()));
            if (value == null) {
                throw failure(template, "no metadata key " + name.substring(METADATA.length()) + " on the token");
            }
            return value;
        }
        throw failure(template, "unknown template path " + name);
    }

    private static EngineException failure(String template, String reason) {
        return EngineException.user("template '" + template + "' could not be rendered -> " + reason);
    }
}
