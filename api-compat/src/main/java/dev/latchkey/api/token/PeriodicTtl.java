package dev.latchkey.api.token;

import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoFormat;

import java.util.Optional;

/**
 * The TTL of a periodic token when it is created or renewed, as Vault's
 * {@code framework.CalculateTTL} gives it: the period, capped at the effective maximum TTL (the
 * system's, or the token's explicit maximum when that is lower), with Vault's warning when capped.
 * The token keeps its period as recorded; only this TTL is capped.
 *
 * @param ttl     seconds
 * @param warning Vault's words, when the period was capped
 */
record PeriodicTtl(long ttl, Optional<String> warning) {
    static PeriodicTtl of(long period, long systemMaxTtl, long explicitMaxTtl) {
        long max = explicitMaxTtl > 0 ? Math.min(systemMaxTtl, explicitMaxTtl) : systemMaxTtl;
        if (period <= max) {
            return new PeriodicTtl(period, Optional.empty());
        }
        return new PeriodicTtl(max, Optional.of("period of " + GoFormat.q(Durations.format(period))
                + " exceeded the effective max_ttl of " + GoFormat.q(Durations.format(max))
                + "; period value is capped accordingly"));
    }
}
