package dev.latchkey.api.token;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.DecodedCache;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.SaltedHash;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Tokens, stored only as salted SHA-256 hashes: {@code core/token/id/<hash>} holds the entry,
 * {@code core/token/accessor/<accessor>} the hash, and {@code core/token/parent/<p>/<child>} the
 * tree that revocation walks.
 */
public final class TokenStore {
    private static final String ID = "core/token/id/";
    private static final String ACCESSOR = "core/token/accessor/";
    private static final String PARENT = "core/token/parent/";
    private static final String SALT = "core/token/salt";

    private final Storage storage;
    private final LeaseManager leases;
    private final LongSupplier clock;
    private final SaltedHash hashes;
    private final DecodedCache<TokenEntry> decoded = new DecodedCache<>(100_000);
    private final Consumer<TokenEntry> created;

    public TokenStore(Storage storage, LeaseManager leases, LongSupplier clockMillis) {
        this(storage, leases, clockMillis, entry -> {
        });
    }

    /** @param created told of each token once it is stored (for metrics); must not block */
    public TokenStore(Storage storage, LeaseManager leases, LongSupplier clockMillis, Consumer<TokenEntry> created) {
        this.storage = storage;
        this.leases = leases;
        this.clock = clockMillis;
        this.hashes = new SaltedHash(storage, SALT);
        this.created = created;
    }

    /** How many tokens are stored (live or expired and not yet swept); reads every token key. */
    public long count() {
        return storage.list(ID).size();
    }

    /** A token with its entry, as the request's caller. */
    public record Resolved(String token, String hash, TokenEntry entry) {
    }

    /** Stores a new token; {@code id} is the caller's chosen token or null for a random one. */
    public String create(TokenEntry entry, String id) {
        String token = id == null || id.isEmpty() ? "hvs." + Randomness.base62(24) : id;
        String hash = hash(token);
        if (!storage.putIfAbsent(ID + hash, JsonValues.encode(entry.toStorage()))) {
            throw EngineException.user("cannot create a token with a duplicate ID");
        }
        storage.put(ACCESSOR + entry.accessor(), hash.getBytes(StandardCharsets.UTF_8));
        if (!entry.parentAccessor().isEmpty()) {
            storage.put(PARENT + entry.parentAccessor() + "/" + entry.accessor(), new byte[0]);
        }
        created.accept(entry);
        return token;
    }

    public static String newAccessor() {
        return Randomness.base62(24);
    }

    /** The live entry for a token; an expired token is revoked on sight. */
    public Optional<Resolved> lookup(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String hash = hash(token);
        Optional<TokenEntry> entry = storage.get(ID + hash)
                .map(b -> decoded.decode(hash, b, raw -> TokenEntry.fromStorage(JsonValues.decode(raw))));
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (entry.get().isExpiredAt(clock.getAsLong())) {
            revokeTree(hash, entry.get());
            return Optional.empty();
        }
        return Optional.of(new Resolved(token, hash, entry.get()));
    }

    public Optional<Resolved> lookupByAccessor(String accessor) {
        return storage.get(ACCESSOR + accessor).flatMap(h -> {
            String hash = new String(h, StandardCharsets.UTF_8);
            return storage.get(ID + hash).map(b -> new Resolved(null, hash, TokenEntry.fromStorage(JsonValues.decode(b))));
        });
    }

    /**
     * Counts one use of a limited-use token. Returns false when the token had no use left; a token
     * whose last use this was is revoked once the request is done (see {@link #revokeIfExhausted}).
     */
    public boolean use(Resolved caller) {
        if (caller.entry().numUses() == 0) {
            return true;
        }
        boolean[] allowed = {false};
        storage.update(ID + caller.hash(), current -> {
            allowed[0] = false;
            if (current == null) {
                return null;
            }
            TokenEntry e = TokenEntry.fromStorage(JsonValues.decode(current));
            if (e.numUses() <= 0) {
                return current;
            }
            allowed[0] = true;
            return JsonValues.encode(e.withUses(e.numUses() == 1 ? -1 : e.numUses() - 1).toStorage());
        });
        return allowed[0];
    }

    /** Revokes a token whose uses are spent (its counter stands at -1). */
    public void revokeIfExhausted(Resolved caller) {
        if (caller.entry().numUses() == 0) {
            return;
        }
        storage.get(ID + caller.hash()).map(b -> TokenEntry.fromStorage(JsonValues.decode(b)))
                .filter(e -> e.numUses() < 0)
                .ifPresent(e -> revokeTree(caller.hash(), e));
    }

    /**
     * A renewed token and the warnings of its renewal.
     *
     * @param warnings Vault's, e.g. for a period capped at the maximum TTL
     */
    public record Renewal(TokenEntry entry, List<String> warnings) {
    }

    /**
     * Extends a token by {@code increment} seconds (0: its creation TTL), within its limits; a
     * periodic token by its period, capped at the effective maximum TTL as Vault caps it.
     */
    public Renewal renew(Resolved caller, long increment, long systemMaxTtl) {
        return renew(caller, increment, systemMaxTtl, 0, 0);
    }

    /**
     * {@link #renew}, for a token from a login, bounded by the login's current settings:
     * {@code loginTtl} replaces the creation TTL as the default increment and {@code loginMaxTtl}
     * (0 for none) caps the token's life as its explicit maximum does.
     */
    public Renewal renew(Resolved caller, long increment, long systemMaxTtl, long loginTtl, long loginMaxTtl) {
        TokenEntry e = caller.entry();
        if (e.expireTime() == 0) {
            return new Renewal(e, List.of());
        }
        if (!e.renewable()) {
            throw EngineException.user("lease is not renewable");
        }
        long now = clock.getAsLong();
        List<String> warnings = new ArrayList<>();
        long ttl;
        if (e.period() > 0) {
            PeriodicTtl periodic = PeriodicTtl.of(e.period(), systemMaxTtl, e.explicitMaxTtl());
            ttl = periodic.ttl();
            periodic.warning().ifPresent(warnings::add);
        } else {
            ttl = increment > 0 ? increment : loginTtl > 0 ? loginTtl : e.creationTtl();
        }
        long expire = now + ttl * 1000L;
        long maxTtl = e.explicitMaxTtl() > 0 ? e.explicitMaxTtl() : (e.period() > 0 ? 0 : systemMaxTtl);
        if (loginMaxTtl > 0 && (maxTtl == 0 || loginMaxTtl < maxTtl)) {
            maxTtl = loginMaxTtl;
        }
        if (maxTtl > 0) {
            expire = Math.min(expire, e.creationTime() * 1000L + maxTtl * 1000L);
        }
        TokenEntry renewed = e.renewed(now, expire);
        storage.put(ID + caller.hash(), JsonValues.encode(renewed.toStorage()));
        return new Renewal(renewed, List.copyOf(warnings));
    }

    /** Revokes the token, every token below it, and every lease any of them created. */
    public void revoke(Resolved token) {
        revokeTree(token.hash(), token.entry());
    }

    private void revokeTree(String hash, TokenEntry entry) {
        for (String child : storage.list(PARENT + entry.accessor() + "/")) {
            lookupByAccessor(child).ifPresent(c -> revokeTree(c.hash(), c.entry()));
            storage.delete(PARENT + entry.accessor() + "/" + child);
        }
        leases.revokeByToken(entry.accessor());
        storage.delete(ID + hash);
        storage.delete(ACCESSOR + entry.accessor());
        if (!entry.parentAccessor().isEmpty()) {
            storage.delete(PARENT + entry.parentAccessor() + "/" + entry.accessor());
        }
    }

    /**
     * Revokes the token and its leases but not the tokens below it: they become orphans, each
     * losing its parent in one write of its own entry.
     */
    public void revokeOrphan(Resolved token) {
        TokenEntry entry = token.entry();
        for (String child : storage.list(PARENT + entry.accessor() + "/")) {
            lookupByAccessor(child).ifPresent(c -> storage.update(ID + c.hash(), current -> current == null ? null
                    : JsonValues.encode(TokenEntry.fromStorage(JsonValues.decode(current)).orphaned().toStorage())));
            storage.delete(PARENT + entry.accessor() + "/" + child);
        }
        leases.revokeByToken(entry.accessor());
        storage.delete(ID + token.hash());
        storage.delete(ACCESSOR + entry.accessor());
        if (!entry.parentAccessor().isEmpty()) {
            storage.delete(PARENT + entry.parentAccessor() + "/" + entry.accessor());
        }
    }

    /** The accessors of every stored token. */
    public List<String> accessors() {
        return storage.list(ACCESSOR).stream().filter(a -> !a.endsWith("/")).toList();
    }

    /**
     * What a tidy found and mended.
     *
     * @param expired         expired tokens revoked
     * @param danglingIndexes accessor and parent entries that named no token, deleted
     * @param orphansRevoked  tokens whose parent was gone, revoked as their parent's revocation would have
     */
    public record Tidied(int expired, int danglingIndexes, int orphansRevoked) {
    }

    /**
     * Mends what an interrupted revocation can leave behind: accessor entries for tokens that are
     * gone, parent links to or from tokens that are gone (a child whose parent is gone is revoked,
     * as the parent's revocation would have revoked it), and expired tokens.
     */
    public Tidied tidy() {
        int expired = sweepExpired();
        int dangling = 0;
        int orphans = 0;
        for (String accessor : accessors()) {
            Optional<byte[]> hash = storage.get(ACCESSOR + accessor);
            if (hash.isPresent() && storage.get(ID + new String(hash.get(), StandardCharsets.UTF_8)).isEmpty()) {
                storage.delete(ACCESSOR + accessor);
                dangling++;
            }
        }
        for (String parentDir : storage.list(PARENT)) {
            String parent = parentDir.endsWith("/") ? parentDir.substring(0, parentDir.length() - 1) : parentDir;
            boolean parentLive = lookupByAccessor(parent).isPresent();
            for (String child : storage.list(PARENT + parent + "/")) {
                Optional<Resolved> c = lookupByAccessor(child);
                if (c.isEmpty()) {
                    storage.delete(PARENT + parent + "/" + child);
                    dangling++;
                } else if (!parentLive) {
                    revokeTree(c.get().hash(), c.get().entry());
                    storage.delete(PARENT + parent + "/" + child);
                    orphans++;
                }
            }
        }
        return new Tidied(expired, dangling, orphans);
    }

    /**
     * Revokes every token whose entry matches, with its children and leases: the tokens an auth
     * method's logins made, when it is disabled. Reads every token; for rare operator actions.
     */
    public int revokeWhere(java.util.function.Predicate<TokenEntry> which) {
        int revoked = 0;
        for (String hash : storage.list(ID)) {
            Optional<TokenEntry> e = storage.get(ID + hash).map(b -> TokenEntry.fromStorage(JsonValues.decode(b)));
            if (e.isPresent() && which.test(e.get())) {
                revokeTree(hash, e.get());
                revoked++;
            }
        }
        return revoked;
    }

    /** Revokes every expired token; run periodically so expired tokens do not linger. */
    public int sweepExpired() {
        long now = clock.getAsLong();
        int revoked = 0;
        List<String> hashes = storage.list(ID);
        for (String hash : hashes) {
            Optional<TokenEntry> e = storage.get(ID + hash).map(b -> TokenEntry.fromStorage(JsonValues.decode(b)));
            if (e.isPresent() && e.get().isExpiredAt(now)) {
                revokeTree(hash, e.get());
                revoked++;
            }
        }
        return revoked;
    }

    private String hash(String token) {
        return hashes.of(token);
    }
}
