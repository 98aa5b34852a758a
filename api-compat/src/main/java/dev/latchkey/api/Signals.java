package dev.latchkey.api;

import sun.misc.Signal;

/**
 * The one seam in front of the JDK's unofficial signal API: Java has no supported way to catch
 * SIGHUP, which Vault operators send to reload certificates.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP, off the signal thread's critical path; errors are printed. */
    static void onHangUp(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), s -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    System.err.println("SIGHUP handling failed: " + e.getMessage());
                }
            });
        } catch (IllegalArgumentException e) {
            System.err.println("SIGHUP cannot be handled on this platform: " + e.getMessage());
        }
    }
}
