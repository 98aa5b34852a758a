package dev.latchkey.engine.ssh.role;

import java.util.Locale;
import java.util.Optional;

/** The three kinds of SSH role. */
public enum KeyType {
    OTP("otp"),
    DYNAMIC("dynamic"),
    CA("ca");

    private final String wire;

    KeyType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Parses a role's {@code key_type} the way Vault does: lower-cased first. */
    public static Optional<KeyType> parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (KeyType t : values()) {
            if (t.wire.equals(lower)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
