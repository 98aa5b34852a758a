package dev.latchkey.engine.framework;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One path family of a backend: an anchored pattern, the fields it declares (with their types),
 * the path captures that become fields, and a handler per operation.
 */
public final class PathSpec {
    /** Role-style names: word characters, '-', '.', '@'; first and last a word character. */
    public static final String NAME = "\\w(?:[\\w\\-.@]*\\w)?";

    private final Pattern pattern;
    private final String family;
    private final Map<String, FieldType> fields = new LinkedHashMap<>();
    private final Map<String, String> captures = new LinkedHashMap<>();
    private final Map<Operation, Handler> handlers = new EnumMap<>(Operation.class);
    private boolean unauthenticated;
    private boolean sudo;
    private Predicate<Fields> existence;

    private PathSpec(String regex) {
        this.pattern = Pattern.compile(regex);
        this.family = literalPrefix(regex);
    }

    /** The pattern's fixed start, up to its first capture or wildcard, without a trailing {@code /}. */
    private static String literalPrefix(String regex) {
        int end = 0;
        while (end < regex.length() && "([\\?*+.{|^$".indexOf(regex.charAt(end)) < 0) {
            end++;
        }
        String prefix = regex.substring(0, end);
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /**
     * A short name for the paths this spec serves, its pattern's fixed start ({@code creds} for
     * {@code creds/<role>}): a label for metrics that never holds what a caller wrote.
     */
    public String family() {
        return family;
    }

    /** A path matching the whole of {@code regex}. */
    public static PathSpec path(String regex) {
        return new PathSpec(regex);
    }

    public PathSpec field(String name, FieldType type) {
        fields.put(name, type);
        return this;
    }

    /** The named regex group {@code group} is delivered as the string field {@code field}. */
    public PathSpec capture(String group, String field) {
        captures.put(group, field);
        fields.putIfAbsent(field, FieldType.STRING);
        return this;
    }

    public PathSpec on(Operation operation, Handler handler) {
        handlers.put(operation, handler);
        return this;
    }

    /** Served without a token (e.g. {@code verify}, {@code public_key}). */
    public PathSpec unauthenticated() {
        this.unauthenticated = true;
        return this;
    }

    /**
     * Needs the {@code sudo} capability as well as the operation's own, as the paths Vault lists
     * in its backend's {@code PathsSpecial.Root} do.
     */
    public PathSpec sudo() {
        this.sudo = true;
        return this;
    }

    /**
     * Declares Vault's existence check: a write to this path creates (and needs the {@code create}
     * capability) when the check, given the path's captured fields, finds nothing, and updates
     * (needing {@code update}) when it finds the resource. Without one a write is always an update.
     */
    public PathSpec existence(Predicate<Fields> exists) {
        this.existence = exists;
        return this;
    }

    Predicate<Fields> existence() {
        return existence;
    }

    Matcher match(String path) {
        Matcher m = pattern.matcher(path);
        return m.matches() ? m : null;
    }

    Map<String, FieldType> fields() {
        return fields;
    }

    Map<String, String> captures() {
        return captures;
    }

    Handler handler(Operation operation) {
        return handlers.get(operation);
    }

    boolean isUnauthenticated() {
        return unauthenticated;
    }

    boolean requiresSudo() {
        return sudo;
    }
}
