package dev.latchkey.engine.ssh.role;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a dynamic role trusts its targets' host keys; Vault never checked them ({@link #NONE}).
 * The wire names are the constants' names in lower case.
 */
public enum HostKeyMode {
    /** Record a host's key the first time it is seen; refuse a different key later. The default. */
    TRUST_ON_FIRST_USE,
    /** Accept only keys whose SHA-256 fingerprint is in the role's {@code host_key_fingerprints}. */
    PINNED,
    /** Accept any key, as Vault 1.12 did. */
    NONE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HostKeyMode> parse(String text) {
        return Arrays.stream(values()).filter(v -> v.wire().equals(text)).findFirst();
    }
}
