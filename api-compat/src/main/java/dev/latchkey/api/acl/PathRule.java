package dev.latchkey.api.acl;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code path "..." { ... }} block of a policy, as parsed: the pattern as written (leading
 * {@code /} removed), what it grants, and the constraints on a request's parameters and wrapping.
 * A trailing {@code *} makes it a prefix rule; a {@code +} that is a whole segment matches any one
 * segment.
 *
 * @param allowedParameters parameter name (lower case) to the values allowed; an empty list allows any
 * @param deniedParameters  parameter name (lower case) to the values denied; an empty list denies any
 * @param minWrappingTtl    seconds; 0 for none
 * @param maxWrappingTtl    seconds; 0 for none
 */
public record PathRule(String pattern, Set<Capability> capabilities, Map<String, List<Object>> allowedParameters,
                       Map<String, List<Object>> deniedParameters, Set<String> requiredParameters,
                       long minWrappingTtl, long maxWrappingTtl) {
    public PathRule {
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        allowedParameters = Map.copyOf(allowedParameters);
        deniedParameters = Map.copyOf(deniedParameters);
        requiredParameters = Set.copyOf(requiredParameters);
    }

    /** A rule with capabilities only. */
    public PathRule(String pattern, Set<Capability> capabilities) {
        this(pattern, capabilities, Map.of(), Map.of(), Set.of(), 0, 0);
    }

    /** This rule for another pattern: a templated rule once rendered for a caller. */
    PathRule withPattern(String rendered) {
        return new PathRule(rendered, capabilities, allowedParameters, deniedParameters, requiredParameters,
                minWrappingTtl, maxWrappingTtl);
    }

    /** Whether the pattern holds identity placeholders ({@code {{identity.entity.id}}}) to render per caller. */
    boolean isTemplated() {
        return pattern.contains("{{");
    }

    boolean isPrefix() {
        return pattern.endsWith("*");
    }

    /** The pattern without its trailing {@code *}. */
    String stem() {
        return isPrefix() ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    /** Whether a whole segment of the pattern is {@code +}. */
    boolean hasSegmentWildcard() {
        for (String segment : stem().split("/", -1)) {
            if (segment.equals("+")) {
                return true;
            }
        }
        return false;
    }
}
