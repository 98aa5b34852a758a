package dev.latchkey.cluster;

import java.util.logging.Logger;

/**
 * Keeps the secret cluster name out of Hazelcast's own log lines. Its member logs
 * {@code "Cluster name: <name>"} at start-up on the {@code com.hazelcast.system} logger; the other
 * places that would show it (the "[name] [version]" prefix of every line, and the default instance
 * name that threads are named after) are switched off in {@link MemberConfigs}.
 */
final class HazelcastLogs {
    /** Held, because the log manager keeps loggers only weakly and would drop the filter with it. */
    private static final Logger SYSTEM = Logger.getLogger("com.hazelcast.system");

    static {
        SYSTEM.setFilter(record -> record.getMessage() == null || !record.getMessage().contains("Cluster name:"));
    }

    private HazelcastLogs() {
    }

    /** Installs the filter (once, on first use of this class). */
    static void hideClusterName() {
        // the static initializer did the work
    }
}
