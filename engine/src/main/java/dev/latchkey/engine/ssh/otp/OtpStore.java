package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.SaltedHash;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.engine.storage.StoredFields;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Outstanding OTPs, each stored only as {@code otp/<hex SHA-256(salt + otp)>}: the OTP itself is
 * never written anywhere. Redemption is one atomic take.
 */
public final class OtpStore {
    private final Storage storage;
    private final SaltedHash hash;

    public OtpStore(Storage storage) {
        this.storage = storage;
        this.hash = new SaltedHash(storage, "salt");
    }

    /** What an OTP was issued for. */
    record Binding(String username, String ip, String roleName) {
    }

    /** A freshly minted OTP and the salted hash it is stored under. */
    record Issued(String otp, String hash) {
    }

    /** Mints and stores a fresh OTP for the binding. */
    Issued issue(Binding binding) {
        byte[] record = JsonValues.encode(toMap(binding));
        while (true) {
            String otp = OneTimePasswords.generate();
            String hash = this.hash.of(otp);
            if (storage.putIfAbsent("otp/" + hash, record)) {
                return new Issued(otp, hash);
            }
        }
    }

    /** Redeems an OTP: at most one caller ever gets its binding. */
    Optional<Binding> redeem(String otp) {
        return storage.take("otp/" + hash.of(otp)).map(b -> {
            Map<String, Object> m = JsonValues.decode(b);
            return new Binding(StoredFields.text(m, "username"), StoredFields.text(m, "ip"), StoredFields.text(m, "role_name"));
        });
    }

    /** Forgets an OTP by its salted hash (lease revocation); no error if already used. */
    void deleteByHash(String hash) {
        storage.delete("otp/" + hash);
    }

    private static Map<String, Object> toMap(Binding b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", b.username());
        m.put("ip", b.ip());
        m.put("role_name", b.roleName());
        return m;
    }
}
