package dev.latchkey.cluster;

/**
 * A cluster member could not start: its address is not this host's or is taken, or the members it
 * was told to join would not admit it. The message says what; {@link #fix} says what to change.
 */
public final class ClusterStartException extends RuntimeException {
    private final String fix;

    ClusterStartException(String message, String fix) {
        super(message, null, false, false);
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }
}
