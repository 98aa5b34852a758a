package dev.latchkey.engine.ssh;

import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Outstanding OTPs, each stored only as {@code otp/<hex SHA-256(salt + otp)>}: the OTP itself is
 * never written anywhere. Redemption is one atomic take.
 */
final class OtpStore {
    private static final String SALT_KEY = "salt";
    private final Storage storage;
    private volatile String salt;

    OtpStore(Storage storage) {
        this.storage = storage;
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
            String hash = hash(otp);
            if (storage.putIfAbsent("otp/" + hash, record)) {
                return new Issued(otp, hash);
            }
        }
    }

    /** Redeems an OTP: at most one caller ever gets its binding. */
    Optional<Binding> redeem(String otp) {
        return storage.take("otp/" + hash(otp)).map(b -> {
            Map<String, Object> m = JsonValues.decode(b);
            return new Binding(str(m, "username"), str(m, "ip"), str(m, "role_name"));
        });
    }

    /** Forgets an OTP by its salted hash (lease revocation); no error if already used. */
    void deleteByHash(String hash) {
        storage.delete("otp/" + hash);
    }

    String hash(String otp) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(otp.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The mount's salt: created once, cluster-wide (first writer wins), never changed. */
    private String salt() {
        String s = salt;
        if (s == null) {
            storage.putIfAbsent(SALT_KEY, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            s = new String(storage.get(SALT_KEY).orElseThrow(), StandardCharsets.UTF_8);
            salt = s;
        }
        return s;
    }

    private static Map<String, Object> toMap(Binding b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", b.username());
        m.put("ip", b.ip());
        m.put("role_name", b.roleName());
        return m;
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? "" : v.toString();
    }
}
