package dev.latchkey.engine.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Lowercase hex SHA-256 of (salt + value), with a salt created once per storage location (first
 * writer wins across the cluster) and never changed: how secrets are turned into storage keys.
 */
public final class SaltedHash {
    private final Storage storage;
    private final String saltKey;
    private volatile String salt;

    public SaltedHash(Storage storage, String saltKey) {
        this.storage = storage;
        this.saltKey = saltKey;
    }

    public String of(String value) {
        return hash(salt(), value);
    }

    /** Lowercase hex SHA-256 of {@code salt + value}. */
    public static String hash(String salt, String value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private String salt() {
        String s = salt;
        if (s == null) {
            storage.putIfAbsent(saltKey, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            s = new String(storage.get(saltKey).orElseThrow(), StandardCharsets.UTF_8);
            salt = s;
        }
        return s;
    }
}
