package dev.latchkey.api.acl;

import dev.latchkey.api.config.file.HclSource;
import dev.latchkey.api.config.file.KeyLocator;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.gocompat.GoParseException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a policy's text, HCL or the equivalent JSON, into its rules, refusing what Vault's parser
 * refuses. Every refusal is a 400 whose message starts {@code failed to parse policy: }, as Vault's.
 * A text that is entirely valid standard base64 is decoded first, as Vault does, so that clients
 * can upload it encoded.
 */
public final class PolicyParser {
    private static final Set<String> TOP_LEVEL = Set.of("path", "name");
    /** Keys a path block may hold; the Enterprise and event keys are read and have no effect here. */
    private static final Set<String> PATH_KEYS = Set.of("capabilities", "policy", "allowed_parameters",
            "denied_parameters", "required_parameters", "min_wrapping_ttl", "max_wrapping_ttl", "comment",
            "mfa_methods", "control_group", "subscribe_event_types");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private PolicyParser() {
    }

    /** The rules of a policy text, in the order written. */
    public static List<PathRule> parse(String text) {
        Map<String, Object> root;
        String source = decodedIfBase64(text);
        try {
            root = HclSource.parse(source);
        } catch (HclSource.SyntaxFailure e) {
            HclSource.SyntaxError error = e.error();
            throw failed(error.line() > 0 && !error.message().contains("line") && !error.message().startsWith("At ")
                    ? error.message() + " on line " + error.line() : error.message());
        }
        KeyLocator lines = new KeyLocator(source);
        for (String key : root.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw failed(invalidKeys(List.of("invalid key " + GoFormat.q(key) + " on line " + lines.topLevel(key))));
            }
        }
        List<PathRule> rules = new ArrayList<>();
        Object paths = root.get("path");
        if (paths == null) {
            return rules;
        }
        if (!(paths instanceof Map<?, ?> byPattern)) {
            throw failed("path must be a block: path \"<pattern>\" { ... }");
        }
        int block = 0;
        for (Map.Entry<?, ?> e : byPattern.entrySet()) {
            String pattern = String.valueOf(e.getKey());
            List<?> bodies = e.getValue() instanceof List<?> repeated ? repeated : List.of(e.getValue());
            for (Object body : bodies) {
                rules.add(rule(pattern, body, lines, block++));
            }
        }
        return rules;
    }

    private static String decodedIfBase64(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() % 4 != 0 || !BASE64.matcher(t).matches()) {
            return text;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(t);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return text; // not base64 after all, or not text once decoded: parsed as written
        }
    }

    /**
     * Vault checks a block's keys all at once and reports them as a list (Go's multierror), one
     * line per key: {@code 1 error occurred:\n\t* invalid key "pth" on line 1\n\n}.
     */
    private static String invalidKeys(List<String> problems) {
        StringBuilder out = new StringBuilder(problems.size() == 1 ? "1 error occurred:\n"
                : problems.size() + " errors occurred:\n");
        problems.forEach(p -> out.append("\t* ").append(p).append('\n'));
        return out.append('\n').toString();
    }

    private static PathRule rule(String written, Object rawBody, KeyLocator lines, int block) {
        String pattern = written.startsWith("/") ? written.substring(1) : written;
        String where = "path " + GoFormat.q(pattern);
        if (pattern.contains("+*")) {
            throw failed(where + ": invalid use of wildcards ('+*' is forbidden)");
        }
        if (!balancedTemplating(pattern)) {
            throw failed("failed to validate policy templating: unbalanced templating characters");
        }
        if (!(rawBody instanceof Map<?, ?> body)) {
            throw failed(where + ": must be a block { ... }");
        }
        List<String> unknown = new ArrayList<>();
        for (Object key : body.keySet()) {
            String name = String.valueOf(key);
            if (!PATH_KEYS.contains(name)) {
                unknown.add(where + ": invalid key " + GoFormat.q(name) + " on line " + lines.inBlock("path", block, name));
            }
        }
        if (!unknown.isEmpty()) {
            throw failed(invalidKeys(unknown));
        }
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        if (body.containsKey("policy")) {
            capabilities.addAll(legacy(where, body.get("policy")));
        }
        for (String word : strings(where, "capabilities", body.get("capabilities"))) {
            capabilities.add(Capability.named(word)
                    .orElseThrow(() -> failed(where + ": invalid capability " + GoFormat.q(word))));
        }
        if (capabilities.contains(Capability.DENY)) {
            capabilities = EnumSet.of(Capability.DENY); // deny alone, whatever else is listed
        }
        long min = ttl(where, "min_wrapping_ttl", body.get("min_wrapping_ttl"));
        long max = ttl(where, "max_wrapping_ttl", body.get("max_wrapping_ttl"));
        if (max > 0 && min > 0 && max < min) {
            throw failed("max_wrapping_ttl cannot be less than min_wrapping_ttl");
        }
        Set<String> required = new LinkedHashSet<>();
        for (String name : strings(where, "required_parameters", body.get("required_parameters"))) {
            required.add(name.toLowerCase(Locale.ROOT));
        }
        return new PathRule(pattern, capabilities, parameters(where, "allowed_parameters", body.get("allowed_parameters")),
                parameters(where, "denied_parameters", body.get("denied_parameters")), required, min, max);
    }

    /** Whether every {@code {{} in the pattern is closed by a later {@code }}}, without nesting. */
    private static boolean balancedTemplating(String pattern) {
        boolean open = false;
        for (int i = 0; i + 1 < pattern.length(); i++) {
            String pair = pattern.substring(i, i + 2);
            if (pair.equals("{{") || pair.equals("}}")) {
                if (open == pair.equals("{{")) {
                    return false;
                }
                open = !open;
                i++;
            }
        }
        return !open;
    }

    /** Vault's shorthand from before capabilities: {@code policy = "read"} and the like. */
    private static Set<Capability> legacy(String where, Object value) {
        String word = value instanceof String s ? s : String.valueOf(value);
        return switch (word) {
            case "deny" -> EnumSet.of(Capability.DENY);
            case "read" -> EnumSet.of(Capability.READ, Capability.LIST);
            case "write" -> EnumSet.of(Capability.CREATE, Capability.READ, Capability.UPDATE, Capability.DELETE,
                    Capability.LIST);
            case "sudo" -> EnumSet.of(Capability.CREATE, Capability.READ, Capability.UPDATE, Capability.DELETE,
                    Capability.LIST, Capability.SUDO);
            default -> throw failed(where + ": invalid policy " + GoFormat.q(word));
        };
    }

    private static List<String> strings(String where, String key, Object value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof List<?> list)) {
            throw failed(where + ": " + key + " must be a list of strings");
        }
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw failed(where + ": " + key + " must be a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    private static Map<String, List<Object>> parameters(String where, String key, Object value) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (value instanceof List<?> blocks) { // a repeated block: merged, as HCL v1 merges it
            for (Object block : blocks) {
                out.putAll(parameters(where, key, block));
            }
            return out;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw failed(where + ": " + key + " must be a map of parameter names to lists of values");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object values = e.getValue();
            List<Object> list = new ArrayList<>();
            if (values instanceof List<?> l) {
                for (Object v : l) {
                    list.add(number(v));
                }
            } else if (values != null) {
                list.add(number(values));
            }
            out.put(String.valueOf(e.getKey()).toLowerCase(Locale.ROOT), List.copyOf(list));
        }
        return out;
    }

    /** The HCL library reads every number as a double; Vault's HCL gives whole numbers as integers. */
    private static Object number(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return d.longValue();
        }
        return v;
    }

    private static long ttl(String where, String key, Object value) {
        if (value == null) {
            return 0;
        }
        try {
            return Durations.parseSeconds(value);
        } catch (GoParseException | RuntimeException e) {
            throw failed(where + ": invalid " + key + ": " + e.getMessage());
        }
    }

    private static EngineException failed(String why) {
        return EngineException.user("failed to parse policy: " + why);
    }
}
