package dev.latchkey.engine.ssh.role;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The three kinds of SSH role; the wire names are the constants' names in lower case. */
public enum KeyType {
    OTP,
    DYNAMIC,
    CA;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a role's {@code key_type} the way Vault does: lower-cased first. */
    public static Optional<KeyType> parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.wire().equals(lower)).findFirst();
    }
}
