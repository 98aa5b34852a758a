package dev.latchkey.engine.framework;

/**
 * Whether the client that asked still waits for the answer. Work that can run for seconds (RSA key
 * generation) asks as it goes and stops once nobody does: a client that gives up on an expensive
 * request must not leave the cores busy for minutes behind it. Vault passes a request context that
 * Go's HTTP server cancels when the connection closes; this is that signal.
 */
@FunctionalInterface
public interface Cancellation {
    /** For callers with no client to lose: in-process use, tests, background work. */
    Cancellation NEVER = () -> false;

    /** True once the client has gone; may be asked from any thread. */
    boolean requested();

    /** Throws {@link EngineException.Kind#CANCELLED} once the client has gone. */
    default void check() {
        if (requested()) {
            throw new EngineException(EngineException.Kind.CANCELLED, "request cancelled: the client has gone");
        }
    }
}
