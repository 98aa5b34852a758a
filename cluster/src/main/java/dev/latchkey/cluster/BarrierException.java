package dev.latchkey.cluster;

/**
 * A sealed value could not be opened: it was tampered with, moved under another key, or sealed
 * with another key. The message never carries plaintext or key material.
 */
public class BarrierException extends RuntimeException {
    public BarrierException(String message) {
        super(message);
    }

    public BarrierException(String message, Throwable cause) {
        super(message, cause);
    }
}
