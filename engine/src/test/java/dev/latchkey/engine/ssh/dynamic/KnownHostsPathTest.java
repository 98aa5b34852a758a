package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.SshKeygen;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code known_hosts/} and {@code known_hosts/:address} on the engine itself: the host keys dynamic
 * roles trust, which an operator can seed, read, list and forget. Not in Vault.
 */
class KnownHostsPathTest {
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

    private final BackendHarness ssh = BackendHarness.create().setClock(NOW);

    @Test
    void aHostKeyIsSeededReadListedAndForgotten() {
        SshKeygen.KeyPair host = SshKeygen.generate("ed25519", 0);
        String line = host.publicKeyText().strip();
        ssh.write("known_hosts/127.0.0.1:2222", Map.of("key", line)).assertNoContent();
        ssh.write("known_hosts/[::1]:22", Map.of("key", line)).assertNoContent();
        assertEquals(Map.of("key", host.line(), "fingerprint", host.fingerprint().sha256(),
                "first_seen", "2030-01-02T03:04:05Z"), ssh.read("known_hosts/127.0.0.1:2222").data(),
                "the comment is dropped; the fingerprint is ssh-keygen's");
        assertEquals(Map.of("keys", List.of("127.0.0.1:2222", "[::1]:22")), ssh.list("known_hosts").data());

        ssh.delete("known_hosts/127.0.0.1:2222").assertNoContent();
        assertNull(ssh.read("known_hosts/127.0.0.1:2222").data(), "a read that finds nothing has no body: Vault's 404");
        ssh.delete("known_hosts/127.0.0.1:2222").assertNoContent();
    }

    @Test
    void anAddressMustBeInNormalForm() {
        ssh.write("known_hosts/localhost:22", Map.of("key", SshKeygen.generate("ed25519", 0).line())).assertError(400,
                "invalid host address \"localhost:22\": write it as <ip>:<port> (10.0.0.5:22) or [<ipv6>]:<port> "
                        + "([2001:db8::5]:22), the address in normal form");
    }

    /** The reason is the key parser's; the prefix is the contract. */
    @Test
    void aKeyThatDoesNotParseIsRefused() {
        EngineException e = ssh.write("known_hosts/10.0.0.5:22", Map.of("key", "ssh-ed25519 AAAA")).failure();
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("invalid key: ") && e.getMessage().length() > "invalid key: ".length(),
                e.getMessage());
    }
}
