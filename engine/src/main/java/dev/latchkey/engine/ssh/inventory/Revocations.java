package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.engine.storage.StoredFields;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the mount has revoked, kept apart from the inventory so that deleting or tidying a record
 * never un-revokes its certificate. Three kinds, as a KRL has them:
 * <ul>
 * <li>a serial under one issuer: {@code revoked/serial/<issuer id>/<serial, 16 hex>.<expiry, 16 hex>}.
 *     The expiry (the certificate's {@code valid_before}; all {@code f}s when unknown) is part of the
 *     key, so the KRL is built and expired entries are found from one listing, without reading a
 *     value per serial; the value holds the reason and the time. {@code revoked/expiry/<issuer
 *     id>/<serial>} holds the expiry too, so that one serial is looked up with one read, not a
 *     listing (which a cluster answers by scanning its map). The issuer's public key is kept under
 *     {@code revoked/ca/<issuer id>}, so the KRL still covers an issuer deleted later;</li>
 * <li>a key ID, under one issuer or under any CA ({@code any}): {@code revoked/key-id/<scope>/<sha256 of the ID>};</li>
 * <li>a public key, however it is presented: {@code revoked/key/<sha256 of its blob>}.</li>
 * </ul>
 * Key-ID and key revocations are not bound to one certificate's lifetime and stay until deleted.
 *
 * <p>Atomicity: each revocation is one put of one key (revoking twice rewrites the same facts);
 * {@code revoked/generation} is bumped by an atomic update after each change, so readers rebuild
 * their view of the key-ID and key sets only when it moved.
 */
public final class Revocations {
    static final String SERIAL = "revoked/serial/";
    static final String EXPIRY = "revoked/expiry/";
    static final String CA = "revoked/ca/";
    static final String KEY_ID = "revoked/key-id/";
    static final String KEY = "revoked/key/";
    static final String GENERATION = "revoked/generation";
    /** The scope of a key-ID revocation that applies to certificates of any CA. */
    public static final String ANY_CA = "any";
    /** The expiry written for a serial whose certificate's lifetime is not known: never. */
    static final long NO_EXPIRY = -1L;

    /** A revoked serial as its key names it. */
    public record RevokedSerial(String issuerId, long serial, long expiresAt) {
        boolean expiredAt(long now) {
            return expiresAt != NO_EXPIRY && Long.compareUnsigned(now, expiresAt) >= 0;
        }
    }

    /** A revoked key ID; {@code scope} is an issuer ID or {@link #ANY_CA}. */
    public record RevokedKeyId(String scope, String keyId, String reason, long revokedAt) {
    }

    /** A revoked public key; {@code blob} is its wire encoding. */
    public record RevokedKey(byte[] blob, String publicKey, String fingerprint, String reason, long revokedAt) {
    }

    /** The key-ID and key revocations as of one generation. */
    public record Snapshot(Map<String, Set<String>> keyIdsByScope, Set<String> keyFingerprints, List<RevokedKeyId> keyIds,
                           List<RevokedKey> keys) {
        public boolean keyIdRevoked(String issuerId, String keyId) {
            return keyIdsByScope.getOrDefault(ANY_CA, Set.of()).contains(keyId)
                    || keyIdsByScope.getOrDefault(issuerId, Set.of()).contains(keyId);
        }
    }

    private record Cached(byte[] generation, Snapshot snapshot) {
    }

    private final Storage storage;
    private volatile Cached cached;

    public Revocations(Storage storage) {
        this.storage = storage;
    }

    public void revokeSerial(String issuerId, String issuerPublicKey, long serial, long expiresAt, String keyId,
                             String reason, long now) {
        storage.putIfAbsent(CA + issuerId, issuerPublicKey.getBytes(StandardCharsets.UTF_8));
        Optional<RevokedSerial> existing = serial(issuerId, serial);
        if (existing.isPresent() && existing.get().expiresAt() != NO_EXPIRY && expiresAt == NO_EXPIRY) {
            expiresAt = existing.get().expiresAt(); // a later revocation that knows less keeps what is known
        }
        String key = SERIAL + issuerId + "/" + Serials.key(serial) + "." + Serials.key(expiresAt);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("key_id", keyId);
        value.put("reason", reason);
        value.put("revoked_at", now);
        // the lookup first: a serial listed is always one that can be found
        storage.put(EXPIRY + issuerId + "/" + Serials.key(serial), Serials.key(expiresAt).getBytes(StandardCharsets.UTF_8));
        storage.put(key, JsonValues.encode(value));
        if (existing.isPresent() && existing.get().expiresAt() != expiresAt) {
            storage.delete(SERIAL + issuerId + "/" + Serials.key(serial) + "." + Serials.key(existing.get().expiresAt()));
        }
        bump();
    }

    /** The revocation of one serial under one issuer, if there is one. */
    public Optional<RevokedSerial> serial(String issuerId, long serial) {
        return storage.get(EXPIRY + issuerId + "/" + Serials.key(serial))
                .map(b -> new RevokedSerial(issuerId, serial, Long.parseUnsignedLong(new String(b, StandardCharsets.UTF_8), 16)));
    }

    public void revokeKeyId(String scope, String keyId, String reason, long now) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("key_id", keyId);
        value.put("reason", reason);
        value.put("revoked_at", now);
        storage.put(KEY_ID + scope + "/" + sha256Hex(keyId.getBytes(StandardCharsets.UTF_8)), JsonValues.encode(value));
        bump();
    }

    public void revokeKey(byte[] blob, String publicKey, String fingerprint, String reason, long now) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("public_key", publicKey);
        value.put("key_fingerprint", fingerprint);
        value.put("reason", reason);
        value.put("revoked_at", now);
        storage.put(KEY + sha256Hex(blob), JsonValues.encode(value));
        bump();
    }

    /** Whether this public key (its wire encoding) is revoked: one read, for {@code sign}. */
    public boolean keyRevoked(byte[] blob) {
        return storage.get(KEY + sha256Hex(blob)).isPresent();
    }

    /** Issuer IDs that have revoked serials, with the public key each had. */
    public Map<String, String> issuerKeys() {
        Map<String, String> out = new TreeMap<>();
        for (String id : storage.list(CA)) {
            storage.get(CA + id).ifPresent(b -> out.put(id, new String(b, StandardCharsets.UTF_8)));
        }
        return out;
    }

    /**
     * Every revoked serial of one issuer, from one listing of keys and no values (a cluster answers
     * a listing by scanning its map, so one listing of 100,000 names beats pages of them).
     */
    public List<RevokedSerial> serials(String issuerId) {
        List<RevokedSerial> out = new ArrayList<>();
        for (String name : storage.list(SERIAL + issuerId + "/")) {
            out.add(parseSerial(issuerId, name));
        }
        return out;
    }

    private static RevokedSerial parseSerial(String issuerId, String name) {
        int dot = name.indexOf('.');
        return new RevokedSerial(issuerId, Long.parseUnsignedLong(name.substring(0, dot), 16),
                Long.parseUnsignedLong(name.substring(dot + 1), 16));
    }

    /** Removes serial revocations whose certificates have expired; returns how many. */
    public int dropExpired(long now) {
        int dropped = 0;
        for (String issuerId : storage.list(SERIAL)) {
            String id = issuerId.endsWith("/") ? issuerId.substring(0, issuerId.length() - 1) : issuerId;
            for (RevokedSerial s : serials(id)) {
                if (s.expiredAt(now)) {
                    storage.delete(SERIAL + id + "/" + Serials.key(s.serial()) + "." + Serials.key(s.expiresAt()));
                    storage.delete(EXPIRY + id + "/" + Serials.key(s.serial()));
                    dropped++;
                }
            }
        }
        if (dropped > 0) {
            bump();
        }
        return dropped;
    }

    /** The key-ID and key revocations; reads them again only after a change. */
    public Snapshot snapshot() {
        byte[] generation = storage.get(GENERATION).orElse(null);
        Cached c = cached;
        if (c != null && Arrays.equals(c.generation(), generation)) {
            return c.snapshot();
        }
        Map<String, Set<String>> byScope = new TreeMap<>();
        List<RevokedKeyId> ids = new ArrayList<>();
        for (String scopeDir : storage.list(KEY_ID)) {
            String scope = scopeDir.substring(0, scopeDir.length() - 1);
            for (String name : storage.list(KEY_ID + scopeDir)) {
                storage.get(KEY_ID + scopeDir + name).map(JsonValues::decode).ifPresent(m -> {
                    ids.add(new RevokedKeyId(scope, StoredFields.text(m, "key_id"), StoredFields.text(m, "reason"),
                            StoredFields.number(m, "revoked_at", 0)));
                    byScope.computeIfAbsent(scope, k -> new HashSet<>()).add(StoredFields.text(m, "key_id"));
                });
            }
        }
        List<RevokedKey> keys = new ArrayList<>();
        Set<String> fingerprints = new HashSet<>();
        for (String name : storage.list(KEY)) {
            storage.get(KEY + name).map(JsonValues::decode).ifPresent(m -> {
                String line = StoredFields.text(m, "public_key");
                keys.add(new RevokedKey(blobOf(line), line, StoredFields.text(m, "key_fingerprint"),
                        StoredFields.text(m, "reason"), StoredFields.number(m, "revoked_at", 0)));
                fingerprints.add(StoredFields.text(m, "key_fingerprint"));
            });
        }
        Snapshot s = new Snapshot(byScope, Set.copyOf(fingerprints), List.copyOf(ids), List.copyOf(keys));
        cached = new Cached(generation, s);
        return s;
    }

    private void bump() {
        storage.update(GENERATION, cur -> String.valueOf(cur == null ? 1
                : Long.parseLong(new String(cur, StandardCharsets.UTF_8)) + 1).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] blobOf(String line) {
        String[] parts = line.strip().split("\\s+");
        return Base64.getDecoder().decode(parts[1]);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
