package dev.latchkey.api.acl;

import java.util.Locale;
import java.util.Optional;

/** ACL capabilities, as Vault policies name them. */
public enum Capability {
    CREATE, READ, UPDATE, PATCH, DELETE, LIST, SUDO, DENY;

    /** The word a policy uses for it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The capability a policy names with this word, if any (words are lower case, as Vault spells them). */
    static Optional<Capability> named(String word) {
        for (Capability c : values()) {
            if (c.name().toLowerCase(Locale.ROOT).equals(word)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
