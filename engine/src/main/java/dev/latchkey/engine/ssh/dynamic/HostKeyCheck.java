package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshPublicKey;

/**
 * Decides whether the key a target host presents during the key exchange may be trusted. Runs
 * before authentication, so nothing (not even a signature by the admin key) goes to an impostor.
 */
@FunctionalInterface
public interface HostKeyCheck {
    /** Accepts the key or throws {@link HostKeyRejectedException} saying why. */
    void check(String address, SshPublicKey presented);
}
