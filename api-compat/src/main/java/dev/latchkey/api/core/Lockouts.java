package dev.latchkey.api.core;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Vault's user lockout: after 5 wrong passwords (or secret IDs) for one alias within 15 minutes,
 * that alias is refused for 15 minutes even with the right ones; a success clears the count. Only
 * wrong credentials for a user or role that exists count, so guessing names locks no one. One
 * record per (mount accessor, alias), changed by atomic updates, so every node counts the same
 * failures.
 */
public final class Lockouts {
    static final int THRESHOLD = 5;
    static final long DURATION_MILLIS = 15 * 60_000L;
    static final long RESET_MILLIS = 15 * 60_000L;
    private static final String PREFIX = "core/lockout/";

    private final Storage storage;
    private final LongSupplier clock;

    public Lockouts(Storage storage, LongSupplier clockMillis) {
        this.storage = storage;
        this.clock = clockMillis;
    }

    private static String key(String accessor, String alias) {
        return PREFIX + accessor + "/" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(alias.getBytes(StandardCharsets.UTF_8));
    }

    /** Refuses a locked alias with Vault's plain {@code permission denied}. */
    void check(String accessor, String alias) {
        long now = clock.getAsLong();
        storage.get(key(accessor, alias)).map(JsonValues::decode).ifPresent(m -> {
            if (JsonValues.longValue(m, "locked_until") > now) {
                throw EngineException.forbidden("permission denied");
            }
        });
    }

    /** Counts one wrong credential; the one that reaches the threshold locks the alias. */
    void failed(String accessor, String alias) {
        long now = clock.getAsLong();
        storage.update(key(accessor, alias), current -> {
            Map<String, Object> m = current == null ? new LinkedHashMap<>() : new LinkedHashMap<>(JsonValues.decode(current));
            long first = JsonValues.longValue(m, "first_failure");
            long count = JsonValues.longValue(m, "failures");
            if (first == 0 || now - first > RESET_MILLIS || JsonValues.longValue(m, "locked_until") > 0 && JsonValues.longValue(m, "locked_until") <= now) {
                first = now;
                count = 0;
                m.remove("locked_until");
            }
            count++;
            m.put("first_failure", first);
            m.put("failures", count);
            if (count >= THRESHOLD) {
                m.put("locked_until", now + DURATION_MILLIS);
            }
            return JsonValues.encode(m);
        });
    }

    /** A successful login clears the alias's count. */
    void succeeded(String accessor, String alias) {
        if (storage.get(key(accessor, alias)).isPresent()) {
            storage.delete(key(accessor, alias));
        }
    }

    /** The aliases locked now, by mount accessor. */
    public Map<String, java.util.List<String>> locked() {
        long now = clock.getAsLong();
        Map<String, java.util.List<String>> out = new java.util.TreeMap<>();
        for (String dir : storage.list(PREFIX)) {
            String accessor = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
            for (String alias : storage.list(PREFIX + accessor + "/")) {
                storage.get(PREFIX + accessor + "/" + alias).map(JsonValues::decode)
                        .filter(m -> JsonValues.longValue(m, "locked_until") > now)
                        .ifPresent(m -> out.computeIfAbsent(accessor, k -> new java.util.ArrayList<>())
                                .add(new String(Base64.getUrlDecoder().decode(alias), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /** Unlocks an alias at once (an operator's {@code sys/locked-users/.../unlock}). */
    public void unlock(String accessor, String alias) {
        storage.delete(key(accessor, alias));
    }

}
