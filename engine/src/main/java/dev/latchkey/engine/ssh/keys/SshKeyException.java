package dev.latchkey.engine.ssh.keys;

/**
 * A key, signature or certificate could not be parsed, encoded or used. Messages say what is
 * wrong in plain words and never carry key material, so callers may pass them on to clients.
 */
public class SshKeyException extends RuntimeException {
    public SshKeyException(String message) {
        super(message);
    }

    public SshKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
