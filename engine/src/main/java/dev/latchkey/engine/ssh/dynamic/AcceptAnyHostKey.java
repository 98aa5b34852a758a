package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshPublicKey;

import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code host_key_checking=none}: any key is accepted, as Vault always did, and the log says so. */
final class AcceptAnyHostKey implements HostKeyVerifier {
    private static final Logger LOG = Logger.getLogger(AcceptAnyHostKey.class.getName());

    @Override
    public void verify(String address, SshPublicKey presented) {
        LOG.log(Level.WARNING, "host key of {0} not verified (host_key_checking=none): {1}",
                new Object[] {address, presented});
    }
}
