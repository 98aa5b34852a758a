package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.engine.storage.StoredFields;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The mount's SSH CA issuers, stored as OpenBao stores them: each under
 * {@code config/issuer/<id>} ({@code id}, {@code name}, {@code public_key}, {@code private_key},
 * {@code version}), and the default's ID under {@code config/issuers}. Two additions of Latchkey's:
 * {@code config/issuers} also holds a generation that every change of any issuer bumps, and each
 * name is claimed under {@code config/issuer-name/<name>}.
 *
 * <p>Atomicity: an issuer record is written whole; a name is claimed with one put-if-absent, so two
 * nodes naming two issuers alike at once cannot both succeed; the default and the generation change
 * together in one atomic update of {@code config/issuers}, and an issuer exists while a default is
 * set (the first becomes the default; the default cannot be deleted while others exist). Readers
 * take a {@link Snapshot} rebuilt only when {@code config/issuers} changed, so signing costs one
 * (cached) read whether the mount has one issuer or fifty.
 *
 * <p>Vault's single CA ({@code config/ca_public_key}, {@code config/ca_private_key}) becomes an
 * unnamed default issuer the first time a mount that has one is read, as OpenBao migrates it; the
 * legacy keys are left where they are, and {@code config/migrationLog} records the move.
 */
public final class IssuerStore {
    static final String ISSUER = "config/issuer/";
    static final String NAME = "config/issuer-name/";
    static final String CONFIG = "config/issuers";
    static final String LEGACY_PUBLIC = "config/ca_public_key";
    static final String LEGACY_PRIVATE = "config/ca_private_key";
    static final String MIGRATION_LOG = "config/migrationLog";
    /** OpenBao's issuer name rule: word characters, '-' and '.', first and last a word character. */
    private static final Pattern NAME_RULE = Pattern.compile("\\w(([\\w-.]+)?\\w)?");

    /** One CA key pair; {@code name} is empty when it has none. The private key never leaves the engine. */
    public record Issuer(String id, String name, String publicKey, String privateKeyPem) {
        Map<String, Object> toStorage() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("name", name);
            m.put("public_key", publicKey);
            m.put("private_key", privateKeyPem);
            m.put("version", 1);
            return m;
        }

        static Issuer fromStorage(Map<String, Object> m) {
            return new Issuer(StoredFields.text(m, "id"), StoredFields.text(m, "name"),
                    StoredFields.text(m, "public_key"), StoredFields.text(m, "private_key"));
        }

        /** The answer of the issuer paths: ID, name and public key. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("issuer_id", id);
            m.put("issuer_name", name);
            m.put("public_key", publicKey);
            return m;
        }
    }

    /**
     * The issuers as of one read of {@code config/issuers}.
     *
     * @param defaultId empty when there is no default (then there are no issuers)
     * @param issuers   by ID, in ID order (storage order)
     */
    public record Snapshot(String defaultId, Map<String, Issuer> issuers, Map<String, Issuer> byName) {
        public Snapshot {
            issuers = Collections.unmodifiableMap(new TreeMap<>(issuers));
            byName = Map.copyOf(byName);
        }

        public boolean isEmpty() {
            return issuers.isEmpty();
        }

        public Optional<Issuer> defaultIssuer() {
            return Optional.ofNullable(issuers.get(defaultId));
        }

        /**
         * The issuer a reference names, as OpenBao resolves one: {@code default}, then an ID (36
         * characters), then a name. {@code ref} is used as given: {@link #normalise} the
         * references that come from a request.
         */
        public Issuer resolve(String ref) {
            if (ref.equals("default")) {
                return defaultIssuer().orElseThrow(IssuerStore::noDefault);
            }
            if (ref.length() == 36 && issuers.containsKey(ref)) {
                return issuers.get(ref);
            }
            Issuer named = byName.get(ref);
            if (named == null) {
                throw EngineException.user("unable to find issuer for reference: " + ref);
            }
            return named;
        }

        /** The document of every trusted CA key: the default first, then the others by ID; each named by its comment. */
        public String publicKeysDocument() {
            List<Issuer> order = new ArrayList<>();
            defaultIssuer().ifPresent(order::add);
            for (Issuer i : issuers.values()) {
                if (!i.id().equals(defaultId)) {
                    order.add(i);
                }
            }
            StringBuilder out = new StringBuilder();
            for (Issuer i : order) {
                String[] parts = i.publicKey().strip().split("\\s+");
                String keyPart = parts.length >= 2 ? parts[0] + " " + parts[1] : i.publicKey().strip();
                out.append(keyPart).append(' ').append(i.name().isEmpty() ? "issuer-" + i.id() : i.name()).append('\n');
            }
            return out.toString();
        }
    }

    private final Storage storage;
    private volatile Cached cached;
    private final Map<String, ParsedKey> signers = new ConcurrentHashMap<>();

    private record Cached(byte[] config, Snapshot snapshot) {
    }

    private record ParsedKey(String pem, SshPrivateKey key) {
    }

    public IssuerStore(Storage storage) {
        this.storage = storage;
    }

    /** A reference from a request: trimmed, and {@code default} in any case taken as {@code default}. */
    public static String normalise(String ref) {
        String r = ref == null ? "" : ref.strip();
        return r.equalsIgnoreCase("default") ? "default" : r;
    }

    static EngineException noDefault() {
        return EngineException.user("no default issuer currently configured");
    }

    /** The issuers now; reads storage only when they have changed since the last call. */
    public Snapshot snapshot() {
        byte[] config = storage.get(CONFIG).orElse(null);
        Cached c = cached;
        if (c != null && Arrays.equals(c.config(), config)) {
            return c.snapshot();
        }
        if (config == null && migrateLegacy()) {
            config = storage.get(CONFIG).orElse(null);
        }
        Map<String, Issuer> byId = new TreeMap<>();
        Map<String, Issuer> byName = new java.util.HashMap<>();
        for (String id : storage.list(ISSUER)) {
            storage.get(ISSUER + id).map(b -> Issuer.fromStorage(JsonValues.decode(b))).ifPresent(i -> {
                byId.put(i.id(), i);
                if (!i.name().isEmpty()) {
                    byName.put(i.name(), i);
                }
            });
        }
        String defaultId = config == null ? "" : StoredFields.text(JsonValues.decode(config), "default");
        Snapshot s = new Snapshot(defaultId, byId, byName);
        cached = new Cached(config, s);
        return s;
    }

    /** The issuer's signing key, parsed once per key text. */
    public SshPrivateKey signer(Issuer issuer) {
        ParsedKey p = signers.get(issuer.id());
        if (p == null || !p.pem().equals(issuer.privateKeyPem())) {
            // read with the ceiling: the size rule applies when a key is configured, not to one already stored
            p = new ParsedKey(issuer.privateKeyPem(), SshPrivateKey.parse(issuer.privateKeyPem(), RsaKeySizes.CEILING_BITS));
            signers.put(issuer.id(), p);
        }
        return p.key();
    }

    /** Checks a name for an issuer (trimmed first) and answers it; OpenBao's errors in OpenBao's order, but the in-use check. */
    public static String checkName(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw EngineException.user("expected non-empty issuer name");
        }
        if (name.equalsIgnoreCase("default")) {
            throw EngineException.user("reserved keyword 'default' can not be used as issuer name");
        }
        if (!NAME_RULE.matcher(name).matches()) {
            throw EngineException.user("issuer name contained invalid characters");
        }
        return name;
    }

    /**
     * Stores a new issuer, claiming its name (empty for none). It becomes the default when
     * {@code makeDefault} or when it is the mount's first; with {@code onlyIfFirst} it is kept only
     * if it is the first (Vault's {@code config/ca}, which never replaces a CA), and empty is
     * answered otherwise.
     */
    public Optional<Issuer> create(String name, String publicKey, String privateKeyPem, boolean makeDefault,
                                   boolean onlyIfFirst) {
        Issuer issuer = new Issuer(newId(), name, publicKey, privateKeyPem);
        if (!name.isEmpty() && !storage.putIfAbsent(NAME + name, issuer.id().getBytes(StandardCharsets.UTF_8))) {
            throw EngineException.user("issuer name already in use");
        }
        storage.put(ISSUER + issuer.id(), JsonValues.encode(issuer.toStorage()));
        boolean kept = changeConfig(c -> {
            boolean first = StoredFields.text(c, "default").isEmpty();
            if (!first && onlyIfFirst) {
                return false;
            }
            if (first || makeDefault) {
                c.put("default", issuer.id());
            }
            return true;
        });
        if (!kept) {
            storage.delete(ISSUER + issuer.id());
            if (!name.isEmpty()) {
                storage.delete(NAME + name);
            }
            return Optional.empty();
        }
        return Optional.of(issuer);
    }

    /** Gives the issuer a new name (checked and free; empty for none) and releases its old one. */
    public Issuer rename(Issuer issuer, String name) {
        if (!name.isEmpty() && !storage.putIfAbsent(NAME + name, issuer.id().getBytes(StandardCharsets.UTF_8))) {
            throw EngineException.user("issuer name already in use");
        }
        Issuer renamed = new Issuer(issuer.id(), name, issuer.publicKey(), issuer.privateKeyPem());
        storage.put(ISSUER + issuer.id(), JsonValues.encode(renamed.toStorage()));
        if (!issuer.name().isEmpty()) {
            storage.delete(NAME + issuer.name());
        }
        changeConfig(c -> true);
        return renamed;
    }

    /** Makes the issuer the default. */
    public void setDefault(Issuer issuer) {
        changeConfig(c -> {
            c.put("default", issuer.id());
            return true;
        });
    }

    /** Deletes the issuer; the default is cleared when it was the default. */
    public void delete(Issuer issuer) {
        storage.delete(ISSUER + issuer.id());
        if (!issuer.name().isEmpty()) {
            storage.delete(NAME + issuer.name());
        }
        signers.remove(issuer.id());
        changeConfig(c -> {
            if (issuer.id().equals(StoredFields.text(c, "default"))) {
                c.put("default", "");
            }
            return true;
        });
    }

    /** Vault's {@code DELETE config/ca} on a mount with at most one issuer: it, and the legacy keys, go. */
    public void deleteAllAndLegacy() {
        for (Issuer i : snapshot().issuers().values()) {
            delete(i);
        }
        storage.delete(LEGACY_PRIVATE);
        storage.delete(LEGACY_PUBLIC);
    }

    /**
     * Changes {@code config/issuers} in one atomic update: {@code change} edits the map and says
     * whether to keep the edit; a kept edit bumps the generation, so every snapshot is rebuilt.
     * Answers whether it was kept.
     */
    private boolean changeConfig(java.util.function.Predicate<Map<String, Object>> change) {
        boolean[] kept = {false};
        storage.update(CONFIG, old -> {
            Map<String, Object> c = old == null ? new LinkedHashMap<>() : new LinkedHashMap<>(JsonValues.decode(old));
            kept[0] = change.test(c);
            if (!kept[0]) {
                return old;
            }
            c.put("generation", JsonValues.longValue(c, "generation") + 1);
            return JsonValues.encode(c);
        });
        return kept[0];
    }

    /**
     * Makes Vault's single CA, when the mount has one and no issuer yet, its default issuer. The
     * issuer's ID is derived from the keys, so that nodes migrating at once write the same record;
     * the default is set only where none is. True when the configuration may have changed.
     */
    private boolean migrateLegacy() {
        Optional<String> publicKey = storage.get(LEGACY_PUBLIC).map(IssuerStore::legacyText);
        Optional<String> privateKey = storage.get(LEGACY_PRIVATE).map(IssuerStore::legacyText);
        if (publicKey.isEmpty() || privateKey.isEmpty() || publicKey.get().isEmpty() || privateKey.get().isEmpty()) {
            return false;
        }
        String hash = sha256Hex(publicKey.get() + privateKey.get());
        Optional<byte[]> log = storage.get(MIGRATION_LOG);
        if (log.isPresent() && hash.equals(StoredFields.text(JsonValues.decode(log.get()), "hash"))) {
            return false;
        }
        String id = hash.substring(0, 8) + "-" + hash.substring(8, 12) + "-" + hash.substring(12, 16) + "-"
                + hash.substring(16, 20) + "-" + hash.substring(20, 32);
        Issuer issuer = new Issuer(id, "", publicKey.get(), privateKey.get());
        storage.put(ISSUER + id, JsonValues.encode(issuer.toStorage()));
        changeConfig(c -> {
            if (StoredFields.text(c, "default").isEmpty()) {
                c.put("default", id);
            }
            return true;
        });
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("hash", hash);
        entry.put("created", Instant.now().toString());
        entry.put("issuer_id", id);
        entry.put("migrationVersion", 1);
        storage.put(MIGRATION_LOG, JsonValues.encode(entry));
        return true;
    }

    private static String legacyText(byte[] stored) {
        Object key = JsonValues.decode(stored).get("key");
        return key == null ? "" : key.toString();
    }

    /** OpenBao's issuer ID: 16 random bytes in the 8-4-4-4-12 form, with no version bits set. */
    private static String newId() {
        String h = HexFormat.of().formatHex(Randomness.bytes(16));
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
