package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.ssh.role.HostKeyPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The verifier each host-key mode gets, judging the key a target presents. */
class HostKeyVerifierTest {
    private static final SshPublicKey HOST = SshKeyGenerator.generate("ed25519", 0).publicKey();
    private static final SshPublicKey OTHER = SshKeyGenerator.generate("ed25519", 0).publicKey();

    @Test
    void pinnedAcceptsOnlyListedKeys() {
        HostKeyVerifier verifier = HostKeyVerifier.forPolicy(
                HostKeyPolicy.fromRequest("", List.of(HOST.sha256Fingerprint())), null);
        assertDoesNotThrow(() -> verifier.verify("127.0.0.1:22", HOST));
        HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class,
                () -> verifier.verify("127.0.0.1:22", OTHER));
        assertEquals("the host presented ssh-ed25519 key " + OTHER.sha256Fingerprint()
                + ", which is not among the role's host_key_fingerprints", e.getMessage());
    }

    @Test
    void noneAcceptsAnything() {
        HostKeyVerifier verifier = HostKeyVerifier.forPolicy(HostKeyPolicy.fromRequest("none", List.of()), null);
        assertDoesNotThrow(() -> verifier.verify("127.0.0.1:22", OTHER));
    }
}
