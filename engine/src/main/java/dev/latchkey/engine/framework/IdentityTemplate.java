package dev.latchkey.engine.framework;

import dev.latchkey.engine.gocompat.GoFormat;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identity templates. For a token that came from a login, the directives are Vault's and draw on
 * its entity: {@code identity.entity.id|name|metadata.K}, {@code identity.entity.aliases.<mount
 * accessor>.id|name|metadata.K}, {@code identity.groups.ids.<id>.*} and
 * {@code identity.groups.names.<name>.*}. A token made without a login stands for itself:
 * {@code identity.entity.name} is its display name, {@code identity.entity.id} its accessor and
 * {@code identity.entity.metadata.K} its meta K. Beyond Vault, a directive may end in
 * {@code | local_part}. The SSH engine's role fields and the paths of ACL policies render alike.
 */
public final class IdentityTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final String METADATA = "identity.entity.metadata.";
    private static final String ALIASES = "identity.entity.aliases.";
    private static final String GROUP_IDS = "identity.groups.ids.";
    private static final String GROUP_NAMES = "identity.groups.names.";
    private static final String LOCAL_PART = "local_part";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

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

    private static String value(String template, String directive, Caller caller) {
        String name = directive;
        String filter = null;
        int bar = directive.indexOf('|');
        if (bar >= 0) {
            name = directive.substring(0, bar).strip();
            filter = directive.substring(bar + 1).strip();
            if (!filter.equals(LOCAL_PART)) {
                throw failure(template, "unknown filter " + filter);
            }
        }
        String value = caller.entity() == null ? fromToken(template, name, caller) : fromEntity(template, name, caller.entity());
        return filter == null ? value : localPart(template, value);
    }

    /** A token without an entity stands for itself: its display name, accessor and meta. */
    private static String fromToken(String template, String name, Caller caller) {
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
        if (name.startsWith("identity.entity.aliases.") || name.startsWith("identity.groups.")) {
            throw failure(template, "no entity found");
        }
        throw failure(template, "unknown template path " + name);
    }

    private static String fromEntity(String template, String name, EntityView e) {
        switch (name) {
            case "identity.entity.id":
                return e.id();
            case "identity.entity.name":
                return e.name();
            default:
                break;
        }
        if (name.startsWith(METADATA)) {
            return present(template, e.metadata().get(name.substring(METADATA.length())));
        }
        if (name.startsWith(ALIASES)) {
            String rest = name.substring(ALIASES.length());
            int dot = rest.indexOf('.');
            if (dot < 0) {
                throw failure(template, "invalid alias selector");
            }
            EntityView.Alias alias = e.aliases().get(rest.substring(0, dot));
            if (alias == null) {
                throw failure(template, "alias not found");
            }
            String selector = rest.substring(dot + 1);
            if (selector.equals("id")) {
                return alias.id();
            }
            if (selector.equals("name")) {
                return alias.name();
            }
            if (selector.startsWith("metadata.")) {
                return present(template, alias.metadata().get(selector.substring("metadata.".length())));
            }
            throw failure(template, "invalid alias selector");
        }
        if (name.startsWith(GROUP_IDS) || name.startsWith(GROUP_NAMES)) {
            boolean byId = name.startsWith(GROUP_IDS);
            String rest = name.substring((byId ? GROUP_IDS : GROUP_NAMES).length());
            String key;
            String selector;
            int meta = rest.indexOf(".metadata.");
            if (meta >= 0) {
                key = rest.substring(0, meta);
                selector = rest.substring(meta + 1);
            } else if (rest.endsWith(".id") || rest.endsWith(".name")) {
                int dot = rest.lastIndexOf('.');
                key = rest.substring(0, dot);
                selector = rest.substring(dot + 1);
            } else {
                throw failure(template, "invalid groups selector");
            }
            String groupId = null;
            for (Map.Entry<String, String> g : e.groups().entrySet()) {
                if (byId ? g.getKey().equals(key) : g.getValue().equals(key)) {
                    groupId = g.getKey();
                }
            }
            if (groupId == null) {
                throw failure(template, "entity is not a member of group " + GoFormat.q(key));
            }
            if (selector.equals("id")) {
                return groupId;
            }
            if (selector.equals("name")) {
                return e.groups().get(groupId);
            }
            return present(template, e.groupMetadata().getOrDefault(groupId, Map.of())
                    .get(selector.substring("metadata.".length())));
        }
        throw failure(template, "no value could be found for one of the template directives");
    }

    private static String present(String template, String value) {
        if (value == null || value.isEmpty()) {
            throw failure(template, "no value could be found for one of the template directives");
        }
        return value;
    }

    /**
     * Beyond Vault: the part of an email address before its last {@code @}, and only if it is a safe
     * account name (letters, digits, {@code .}, {@code _}, {@code -}), so that a login's email can
     * be an SSH principal without the identity provider knowing Unix names.
     */
    private static String localPart(String template, String value) {
        int at = value.lastIndexOf('@');
        String local = at < 0 ? "" : value.substring(0, at);
        if (local.isEmpty()) {
            throw failure(template, "local_part: " + GoFormat.q(value) + " has no part before an @");
        }
        if (!SAFE_NAME.matcher(local).matches()) {
            throw failure(template, "local_part: " + GoFormat.q(local) + " is not an account name (letters, digits, '.', '_', '-')");
        }
        return local;
    }

    private static EngineException failure(String template, String reason) {
        return EngineException.user("template '" + template + "' could not be rendered -> " + reason);
    }
}
