package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.ssh.role.HostKeyPolicy;

/**
 * Decides whether the key a target host presents during the key exchange may be trusted. Runs
 * before authentication, so nothing (not even a signature by the admin key) goes to an impostor.
 * One implementation per {@link dev.latchkey.engine.ssh.role.HostKeyMode}.
 */
@FunctionalInterface
public interface HostKeyVerifier {
    /** Accepts the key or throws {@link HostKeyRejectedException} saying why. */
    void verify(String address, SshPublicKey presented);

    /** The verifier a dynamic role's host-key policy calls for. */
    static HostKeyVerifier forPolicy(HostKeyPolicy policy, KnownHostStore knownHosts) {
        return switch (policy.mode()) {
            case NONE -> new AcceptAnyHostKey();
            case PINNED -> new PinnedHostKeys(policy.fingerprints());
            case TRUST_ON_FIRST_USE -> new TrustOnFirstUse(knownHosts);
        };
    }

    /** A key as log lines and errors name it: its type and SHA-256 fingerprint. */
    static String describe(SshPublicKey key) {
        return key.type() + " key " + key.sha256Fingerprint();
    }
}
