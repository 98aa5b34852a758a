package dev.latchkey.api.seal;

/**
 * A seal operation refused or failed, with the status and the text Vault answers it with. The
 * message never carries key material.
 */
public final class SealException extends RuntimeException {
    private final int status;

    public SealException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static SealException badRequest(String message) {
        return new SealException(400, message);
    }

    public int status() {
        return status;
    }
}
