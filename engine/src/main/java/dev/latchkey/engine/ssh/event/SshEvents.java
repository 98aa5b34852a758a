package dev.latchkey.engine.ssh.event;

/**
 * What the SSH engine reports of its own work, for the server's metrics. The engine calls these
 * after the fact, on whatever thread did the work; an implementation must be cheap, must not block
 * and must not throw. Nothing here carries a secret: no OTP, key or certificate, only names.
 */
public interface SshEvents {
    /** Reports nothing. */
    SshEvents NONE = new SshEvents() {
    };

    /** Why an OTP was not accepted. */
    enum VerifyRefusal {
        /** No OTP was given. */
        EMPTY,
        /** No such OTP: never issued, already used, or revoked. */
        UNKNOWN,
        /** It was issued but its time ran out (it is spent now too). */
        EXPIRED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A dynamic key's change on its target host. */
    enum KeyChange {
        INSTALL, UNINSTALL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An OTP was issued by {@code creds} on an OTP role (before it is stored). */
    default void otpIssued(String role) {
    }

    /** An OTP was redeemed by {@code verify}. */
    default void otpVerified(String role) {
    }

    /** {@code verify} refused an OTP. */
    default void otpRefused(VerifyRefusal reason) {
    }

    /**
     * A certificate was signed by {@code sign} or {@code issue}.
     *
     * @param keyType  the subject key's SSH type, {@code ssh-ed25519} for example
     * @param certType {@code user} or {@code host}
     */
    default void certificateSigned(String role, String keyType, String certType) {
    }

    /** A dynamic key was installed on, or removed from, its target host, or that failed. */
    default void dynamicKey(KeyChange change, boolean ok) {
    }
}
