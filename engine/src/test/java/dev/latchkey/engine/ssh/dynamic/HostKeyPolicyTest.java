package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostKeyPolicyTest {
    private static final SshPublicKey HOST = SshKeyGenerator.generate("ed25519", 0).publicKey();
    private static final SshPublicKey OTHER = SshKeyGenerator.generate("ed25519", 0).publicKey();

    @Test
    void defaultIsTrustOnFirstUse() {
        assertEquals(HostKeyPolicy.DEFAULT, HostKeyPolicy.fromRequest("", List.of()));
    }

    @Test
    void fingerprintsImplyPinnedAndAreNormalised() {
        String fp = HOST.sha256Fingerprint();
        String bare = fp.substring("SHA256:".length());
        HostKeyPolicy p = HostKeyPolicy.fromRequest("", List.of(" " + bare + "= ", fp));
        assertEquals(HostKeyChecking.PINNED, p.mode());
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

    @Test
    void pinnedAcceptsOnlyListedKeys() {
        HostKeyCheck check = HostKeyPolicy.fromRequest("", List.of(HOST.sha256Fingerprint())).check(null);
        assertDoesNotThrow(() -> check.check("127.0.0.1:22", HOST));
        HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class,
                () -> check.check("127.0.0.1:22", OTHER));
        assertEquals("the host presented ssh-ed25519 key " + OTHER.sha256Fingerprint()
                + ", which is not among the role's host_key_fingerprints", e.getMessage());
    }

    @Test
    void noneAcceptsAnything() {
        HostKeyCheck check = HostKeyPolicy.fromRequest("none", List.of()).check(null);
        assertDoesNotThrow(() -> check.check("127.0.0.1:22", OTHER));
    }
}
