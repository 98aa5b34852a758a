package dev.latchkey.engine.ssh.role;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A dynamic role's host-key rule as a role write gives it. */
class HostKeyPolicyTest {
    private static final SshPublicKey HOST = SshKeyGenerator.generate("ed25519", 0).publicKey();

    @Test
    void defaultIsTrustOnFirstUse() {
        assertEquals(HostKeyPolicy.DEFAULT, HostKeyPolicy.fromRequest("", List.of()));
    }

    @Test
    void fingerprintsImplyPinnedAndAreNormalised() {
        String fp = HOST.sha256Fingerprint();
        String bare = fp.substring("SHA256:".length());
        HostKeyPolicy p = HostKeyPolicy.fromRequest("", List.of(" " + bare + "= ", fp));
        assertEquals(HostKeyMode.PINNED, p.mode());
        assertEquals(List.of(fp), p.fingerprints());
    }

    @Test
    void contradictionsAreRefused() {
        String fp = HOST.sha256Fingerprint();
        assertEquals("host_key_checking=pinned needs host_key_fingerprints",
                assertThrows(EngineException.class, () -> HostKeyPolicy.fromRequest("pinned", List.of())).getMessage());
        assertEquals("host_key_fingerprints are only used with host_key_checking=pinned, not none",
                assertThrows(EngineException.class, () -> HostKeyPolicy.fromRequest("none", List.of(fp))).getMessage());
        assertEquals("invalid host_key_checking \"yes\": use trust_on_first_use, pinned or none",
                assertThrows(EngineException.class, () -> HostKeyPolicy.fromRequest("yes", List.of())).getMessage());
    }

    @Test
    void malformedFingerprintsAreRefused() {
        for (String bad : List.of("MD5:aa:bb", "SHA256:short", "SHA256:!!!notbase64!!!", "")) {
            EngineException e = assertThrows(EngineException.class, () -> HostKeyPolicy.fromRequest("", List.of(bad)));
            assertEquals(400, e.status(), bad);
        }
    }
}
