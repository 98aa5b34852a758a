package dev.latchkey.api.http;

import dev.latchkey.api.config.ListenerOptions;

import java.net.BindException;
import java.util.Locale;

/**
 * A listener could not bind its address: another process holds it, or the host is not this
 * machine's. Start-up turns it into one line that names the configuration that asked for the address.
 */
public final class ListenerUnavailableException extends RuntimeException {
    private final int index;
    private final ListenerOptions listener;

    public ListenerUnavailableException(int index, ListenerOptions listener, Throwable cause) {
        super("listener address " + address(listener) + " cannot be bound: " + cause.getMessage(), cause);
        this.index = index;
        this.listener = listener;
    }

    /** The listener's position among the server's listeners, from 0. */
    public int index() {
        return index;
    }

    public ListenerOptions listener() {
        return listener;
    }

    /** Whether another socket holds the address (rather than the address not being local). */
    public boolean inUse() {
        String m = getCause().getMessage();
        return getCause() instanceof BindException && m != null && m.toLowerCase(Locale.ROOT).contains("in use");
    }

    private static String address(ListenerOptions l) {
        return (l.host().contains(":") ? "[" + l.host() + "]" : l.host()) + ":" + l.port();
    }
}
