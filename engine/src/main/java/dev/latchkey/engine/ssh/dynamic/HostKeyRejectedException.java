package dev.latchkey.engine.ssh.dynamic;

/** A target host presented a key that its host-key policy does not trust. */
public final class HostKeyRejectedException extends RuntimeException {
    public HostKeyRejectedException(String message) {
        super(message, null, false, false);
    }
}
