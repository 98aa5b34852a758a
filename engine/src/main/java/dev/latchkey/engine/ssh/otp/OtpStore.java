package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.storage.CorruptRecordException;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.SaltedHash;
import dev.latchkey.engine.storage.Stages;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.engine.storage.StoredFields;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Outstanding OTPs, each stored only as {@code otp/<hex SHA-256(salt + otp)>}: the OTP itself is
 * never written anywhere. Redemption is one atomic take.
 *
 * <p>Each record carries its own expiry, the end of its lease. Vault's OTP entry has none and
 * lives until its lease is revoked; here an OTP whose lease entry was lost or deleted (by a fault,
 * or by someone who reached the lease store) still stops working when its lease would have ended.
 *
 * <p>A record is compact binary: a format byte (1), the expiry (8 bytes, big-endian epoch
 * milliseconds), then the username, IP and role name, each as a 4-byte length and UTF-8. A node
 * holds one per outstanding OTP, a million of them under load, so the JSON object Vault stores
 * (about three times the size, and a map to build and parse on every {@code creds} and
 * {@code verify}) is not worth its readability here. Records written in the earlier JSON form
 * (first byte {@code '{'}) are still read.
 */
public final class OtpStore {
    private static final String EXPIRES = "expires_at";
    private static final byte FORMAT = 1;

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

    /**
     * A freshly minted OTP, the salted hash it is stored under, and the stage of that write: the
     * OTP may be handed out only once it completes normally.
     */
    record Issued(String otp, String hash, CompletionStage<Void> stored) {
    }

    /**
     * Mints an OTP for the binding, valid for {@code ttlSeconds} from now, and starts storing it.
     * A fresh OTP has 122 random bits, so it never meets an outstanding one; if it ever did, the
     * write fails rather than overwrite the other OTP.
     */
    Issued issue(Binding binding, long ttlSeconds) {
        byte[] record = encode(binding, clock.getAsLong() + ttlSeconds * 1000L);
        String otp = OneTimePasswords.generate();
        String hash = this.hash.of(otp);
        CompletionStage<Void> stored = storage.putIfAbsentAsync("otp/" + hash, record).thenAccept(fresh -> {
            if (!fresh) {
                throw new EngineException(EngineException.Kind.INTERNAL,
                        "a freshly minted OTP matched an outstanding one; the request can be retried");
            }
        });
        return new Issued(otp, hash, stored);
    }

    /**
     * Redeems an OTP: at most one caller ever gets its binding, and none once it has expired. An
     * expired OTP is taken all the same, so it is gone from storage either way.
     */
    Optional<Binding> redeem(String otp) {
        return Optional.ofNullable(Stages.join(redeemAsync(otp)).binding());
    }

    /** What redeeming found: the binding (null when there is none), and whether that is because it had expired. */
    record Redeemed(Binding binding, boolean expired) {
        static final Redeemed UNKNOWN = new Redeemed(null, false);
        static final Redeemed EXPIRED = new Redeemed(null, true);
    }

    /** {@link #redeem}, as a stage that may complete on another thread, saying why when there is no binding. */
    CompletionStage<Redeemed> redeemAsync(String otp) {
        long now = clock.getAsLong();
        return storage.takeAsync("otp/" + hash.of(otp)).thenApply(taken -> taken.map(OtpStore::decode)
                .map(r -> r.isExpiredAt(now) ? Redeemed.EXPIRED : new Redeemed(r.binding(), false))
                .orElse(Redeemed.UNKNOWN));
    }

    /** A record as read: what the OTP was issued for, and its expiry (0: none, for early records). */
    private record Stored(Binding binding, long expiresAt) {
        /** Records written before OTPs had an expiry of their own have none: their lease alone ends them. */
        boolean isExpiredAt(long now) {
            return expiresAt > 0 && expiresAt <= now;
        }
    }

    static byte[] encode(Binding b, long expiresAtMillis) {
        byte[] user = b.username().getBytes(StandardCharsets.UTF_8);
        byte[] ip = b.ip().getBytes(StandardCharsets.UTF_8);
        byte[] role = b.roleName().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + Long.BYTES + 3 * Integer.BYTES + user.length + ip.length + role.length);
        out.put(FORMAT).putLong(expiresAtMillis);
        out.putInt(user.length).put(user).putInt(ip.length).put(ip).putInt(role.length).put(role);
        return out.array();
    }

    private static Stored decode(byte[] raw) {
        if (raw.length > 0 && raw[0] == '{') {
            Map<String, Object> m = JsonValues.decode(raw); // the earlier JSON form
            return new Stored(new Binding(StoredFields.text(m, "username"), StoredFields.text(m, "ip"),
                    StoredFields.text(m, "role_name")), StoredFields.number(m, EXPIRES, 0));
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(raw);
            if (in.get() != FORMAT) {
                throw new CorruptRecordException("an OTP record of an unknown format", null);
            }
            long expires = in.getLong();
            Binding b = new Binding(text(in), text(in), text(in));
            if (in.hasRemaining()) {
                throw new CorruptRecordException("an OTP record with bytes after its last field", null);
            }
            return new Stored(b, expires);
        } catch (BufferUnderflowException e) {
            throw new CorruptRecordException("a truncated OTP record", e);
        }
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new CorruptRecordException("an OTP record whose field length runs past its end", null);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Forgets an OTP by its salted hash (lease revocation); no error if already used. */
    void deleteByHash(String hash) {
        storage.delete("otp/" + hash);
    }
}
