package dev.latchkey.api.core;

/**
 * The request a thread is working on, for log lines: the {@code request_id} a client sees in its
 * answer and an audit device records, so that a log line can be matched to both. Set while the
 * dispatcher runs a request's synchronous part on a worker; empty elsewhere.
 */
public final class RequestScope {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private RequestScope() {
    }

    /** The current thread's request ID, or null. */
    public static String currentRequestId() {
        return CURRENT.get();
    }

    /** Marks the thread as working on {@code requestId} until the returned scope is closed. */
    static Closing enter(String requestId) {
        String outer = CURRENT.get();
        CURRENT.set(requestId);
        return () -> {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        };
    }

    /** Ends a request's scope on its thread. */
    @FunctionalInterface
    interface Closing extends AutoCloseable {
        @Override
        void close();
    }
}
