package dev.latchkey.api.core;

/**
 * Errors after which the process must stop rather than limp on. An {@link OutOfMemoryError} can
 * strike any thread — an event loop, a Hazelcast partition thread, a timer — and leave it dead while
 * the process still holds its port: alive to the supervisor, deaf to every host's PAM. The launcher
 * runs the JVM with {@code -XX:+ExitOnOutOfMemoryError}; this is the same rule for a JVM started
 * without it, applied wherever an error surfaces.
 */
public final class FatalErrors {
    /** The exit status, distinct from a start-up failure's. */
    public static final int STATUS = 3;

    private FatalErrors() {
    }

    /** Halts the process if {@code t}, or anything that caused it, is fatal; returns otherwise. */
    public static void haltIfFatal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError || c instanceof InternalError) {
                // no logging framework: it may need memory the heap no longer has
                System.err.println("latchkey: fatal " + c.getClass().getSimpleName() + "; stopping the process");
                Runtime.getRuntime().halt(STATUS);
            }
        }
    }

    /** Every thread's uncaught throwables go through {@link #haltIfFatal} before the previous handler. */
    public static void install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, t) -> {
            haltIfFatal(t);
            if (previous != null) {
                previous.uncaughtException(thread, t);
            } else {
                System.err.println("Exception in thread \"" + thread.getName() + "\" " + t);
            }
        });
    }
}
