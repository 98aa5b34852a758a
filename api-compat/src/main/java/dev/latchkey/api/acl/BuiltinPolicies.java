package dev.latchkey.api.acl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The policies every server has besides those written: {@code root} (everything, never stored)
 * and {@code default}, whose text is Vault's own, byte for byte (including its comments and its
 * leading newline), so that {@code vault policy read default} prints what it prints against Vault
 * and a {@code default}-only token may do here exactly what it may do there.
 */
final class BuiltinPolicies {
    static final String DEFAULT_TEXT = resource("default-policy.hcl");
    private static final List<PathRule> DEFAULT = PolicyParser.parse(DEFAULT_TEXT);

    private BuiltinPolicies() {
    }

    /** The text of a built-in policy that is not stored until an operator writes it, or null. */
    static String text(String name) {
        return name.equals("default") ? DEFAULT_TEXT : null;
    }

    /** The rules of such a policy, or null for other names. */
    static List<PathRule> rules(String name) {
        return name.equals("default") ? DEFAULT : null;
    }

    private static String resource(String name) {
        try (InputStream in = BuiltinPolicies.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
