package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.engine.ssh.keys.SshPublicKey;

/**
 * Where {@code sign} and {@code issue} report each certificate they make, and ask whether a key
 * may be certified at all: the mount's inventory and revocations, behind a port so that this
 * package does not depend on them.
 */
public interface CertificateLog {
    /** A certificate just signed, with who asked for it and the caller's notes. */
    record Issued(SshCertificate certificate, String issuerId, String role, Caller caller, String clientAddress,
                  String description, String metadata) {
    }

    /** Refuses (with the caller's error) a subject key that must not be certified. */
    void checkSubject(SshPublicKey subject);

    /**
     * Keeps the certificate; false when its serial is already taken, so that the caller signs again
     * with another.
     */
    boolean issued(Issued certificate);
}
