package dev.latchkey.api.acl;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A rule's {@code required_parameters}, {@code denied_parameters} and {@code allowed_parameters},
 * checked against a request's top-level parameters (names compared in lower case), in Vault's order:
 * required names must be present; a request without parameters passes; a denied name or value
 * refuses; then, if the rule lists allowed parameters, every name must be allowed (or {@code *}
 * listed) with an allowed value. A policy value may start or end with {@code *} to match a string
 * by suffix, prefix or substring; values are otherwise compared as they were sent.
 */
final class ParameterConstraints {
    private ParameterConstraints() {
    }

    static boolean allow(PathRule rule, Map<String, Object> parameters) {
        if (rule.requiredParameters().isEmpty() && rule.deniedParameters().isEmpty()
                && rule.allowedParameters().isEmpty()) {
            return true; // most rules constrain nothing: no copy of the request's names
        }
        Map<String, Object> lower = new HashMap<>();
        parameters.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        for (String required : rule.requiredParameters()) {
            if (!lower.containsKey(required)) {
                return false;
            }
        }
        if (lower.isEmpty()) {
            return true;
        }
        Map<String, List<Object>> denied = rule.deniedParameters();
        if (!denied.isEmpty()) {
            if (denied.containsKey("*")) {
                return false;
            }
            for (Map.Entry<String, Object> p : lower.entrySet()) {
                List<Object> values = denied.get(p.getKey());
                if (values != null && (values.isEmpty() || anyMatches(values, p.getValue()))) {
                    return false;
                }
            }
        }
        Map<String, List<Object>> allowed = rule.allowedParameters();
        if (allowed.isEmpty()) {
            return true;
        }
        if (allowed.size() == 1 && allowed.containsKey("*")) {
            return true;
        }
        for (Map.Entry<String, Object> p : lower.entrySet()) {
            List<Object> values = allowed.get(p.getKey());
            if (values == null) {
                if (!allowed.containsKey("*")) {
                    return false;
                }
                continue;
            }
            if (!values.isEmpty() && !anyMatches(values, p.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyMatches(List<Object> policyValues, Object requestValue) {
        for (Object v : policyValues) {
            if (matches(v, requestValue)) {
                return true;
            }
        }
        return false;
    }

    /** A string policy value of two or more characters may glob with a leading or trailing {@code *}. */
    static boolean matches(Object policyValue, Object requestValue) {
        if (policyValue instanceof String glob && requestValue instanceof String value && glob.length() >= 2) {
            boolean head = glob.startsWith("*");
            boolean tail = glob.endsWith("*");
            if (head && tail) {
                return value.contains(glob.substring(1, glob.length() - 1));
            }
            if (head) {
                return value.endsWith(glob.substring(1));
            }
            if (tail) {
                return value.startsWith(glob.substring(0, glob.length() - 1));
            }
        }
        return Objects.equals(policyValue, requestValue);
    }
}
