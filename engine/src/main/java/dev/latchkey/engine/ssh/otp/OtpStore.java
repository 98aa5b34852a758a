package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.SaltedHash;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.engine.storage.StoredFields;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Outstanding OTPs, each stored only as {@code otp/<hex SHA-256(salt + otp)>}: the OTP itself is
 * never written anywhere. Redemption is one atomic take.
 *
 * <p>Each record carries its own expiry, the end of its lease. Vault's OTP entry has none and
 * lives until its lease is revoked; here an OTP whose lease entry was lost or deleted (by a fault,
 * or by someone who reached the lease store) still stops working when its lease would have ended.
 */
public final class OtpStore {
    private static final String EXPIRES = "expires_at";

    private final Storage storage;
    private final SaltedHash hash;
    private final LongSupplier clock;

    public OtpStore(Storage storage, LongSupplier clockMillis) {
        this.storage = storage;
        this.hash = new SaltedHash(storage, "salt");
        this.clock = clockMillis;
    }

    /** What an OTP was issued for. */
    record Binding(String username, String ip, String roleName) {
    }

    /** A freshly minted OTP and the salted hash it is stored under. */
    record Issued(String otp, String hash) {
    }

    /** Mints and stores a fresh OTP for the binding, valid for {@code ttlSeconds} from now. */
    Issued issue(Binding binding, long ttlSeconds) {
        byte[] record = JsonValues.encode(toMap(binding, clock.getAsLong() + ttlSeconds * 1000L));
        while (true) {
            String otp = OneTimePasswords.generate();
            String hash = this.hash.of(otp);
            if (storage.putIfAbsent("otp/" + hash, record)) {
                return new Issued(otp, hash);
            }
        }
    }

    /**
     * Redeems an OTP: at most one caller ever gets its binding, and none once it has expired. An
     * expired OTP is taken all the same, so it is gone from storage either way.
     */
    Optional<Binding> redeem(String otp) {
        long now = clock.getAsLong();
        return storage.take("otp/" + hash.of(otp)).map(JsonValues::decode)
                .filter(m -> !isExpired(m, now))
                .map(m -> new Binding(StoredFields.text(m, "username"), StoredFields.text(m, "ip"),
                        StoredFields.text(m, "role_name")));
    }

    /** Records written before OTPs had an expiry of their own have none: their lease alone ends them. */
    private static boolean isExpired(Map<String, Object> record, long now) {
        long expires = StoredFields.number(record, EXPIRES, 0);
        return expires > 0 && expires <= now;
    }

    /** Forgets an OTP by its salted hash (lease revocation); no error if already used. */
    void deleteByHash(String hash) {
        storage.delete("otp/" + hash);
    }

    private static Map<String, Object> toMap(Binding b, long expiresAtMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", b.username());
        m.put("ip", b.ip());
        m.put("role_name", b.roleName());
        m.put(EXPIRES, expiresAtMillis);
        return m;
    }
}
