package dev.latchkey.api.http.tls;

/** A listener's TLS material could not be loaded; the message is one line, fit for the log and the terminal. */
public final class TlsException extends Exception {
    public TlsException(String message) {
        super(message, null, false, false);
    }
}
