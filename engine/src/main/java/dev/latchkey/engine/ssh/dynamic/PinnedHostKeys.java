package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshPublicKey;

import java.util.List;

/** {@code host_key_checking=pinned}: only keys whose SHA-256 fingerprint the role lists. */
final class PinnedHostKeys implements HostKeyVerifier {
    private final List<String> fingerprints;

    PinnedHostKeys(List<String> fingerprints) {
        this.fingerprints = List.copyOf(fingerprints);
    }

    @Override
    public void verify(String address, SshPublicKey presented) {
        if (!fingerprints.contains(presented.sha256Fingerprint())) {
            throw new HostKeyRejectedException("the host presented " + HostKeyVerifier.describe(presented)
                    + ", which is not among the role's host_key_fingerprints");
        }
    }
}
