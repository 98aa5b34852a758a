package dev.latchkey.api.sys;

import dev.latchkey.api.config.SystemDefaults;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.gocompat.GoParseException;

/** Parsing and checking of mount TTLs as {@code sys/mounts} and its tune endpoint take them. */
final class MountTtls {
    /** "Leave as it is", as tune's empty string means. */
    static final long UNCHANGED = -1;

    private MountTtls() {
    }

    /**
     * Seconds for a TTL value; {@code ""}, {@code "0s"}, {@code "system"} and absence mean 0
     * (system default). With {@code emptyUnchanged}, {@code ""} and absence give {@link #UNCHANGED}.
     */
    static long parse(Object raw, String which, boolean emptyUnchanged) {
        if (raw == null || "".equals(raw)) {
            return emptyUnchanged ? UNCHANGED : 0;
        }
        if ("system".equals(raw)) {
            return 0;
        }
        try {
            return Durations.parseSeconds(raw);
        } catch (GoParseException e) {
            throw EngineException.user("unable to parse " + which + " TTL of " + GoFormat.v(raw) + ": " + e.getMessage());
        }
    }

    static void check(long defaultTtl, long maxTtl, SystemDefaults system) {
        if (defaultTtl > 0 && maxTtl > 0 && defaultTtl > maxTtl) {
            throw EngineException.user("given default lease TTL greater than given max lease TTL");
        }
        if (defaultTtl > system.maxLeaseTtl() && maxTtl == 0) {
            throw EngineException.user("given default lease TTL greater than system max lease TTL of "
                    + system.maxLeaseTtl());
        }
    }
}
