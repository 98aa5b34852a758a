package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshPublicKey;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code host_key_checking=trust_on_first_use}, the default: the first key a host presents is
 * recorded, and a different key later is refused, as OpenSSH's {@code StrictHostKeyChecking=accept-new}
 * does. Concurrent first connections race through one {@code putIfAbsent}, so every member of a
 * cluster agrees on one key.
 */
final class TrustOnFirstUse implements HostKeyVerifier {
    private static final Logger LOG = Logger.getLogger(TrustOnFirstUse.class.getName());

    private final KnownHostStore knownHosts;

    TrustOnFirstUse(KnownHostStore knownHosts) {
        this.knownHosts = knownHosts;
    }

    @Override
    public void verify(String address, SshPublicKey presented) {
        if (knownHosts.putIfAbsent(address, presented)) {
            LOG.log(Level.INFO, "trusting the host key of {0} on first use: {1}",
                    new Object[] {address, HostKeyVerifier.describe(presented)});
            return;
        }
        KnownHostStore.Entry known = knownHosts.get(address).orElseThrow(() -> new HostKeyRejectedException(
                "the recorded host key for " + address + " vanished while it was checked; try again"));
        if (!known.key().equals(presented)) {
            throw new HostKeyRejectedException("HOST KEY CHANGED: the host presented "
                    + HostKeyVerifier.describe(presented) + " but " + HostKeyVerifier.describe(known.key())
                    + " was trusted on first use; if the host was re-keyed on purpose, delete known_hosts/"
                    + address + " on this mount to trust the new key");
        }
    }
}
