package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.testing.BackendHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code creds/:role} on a dynamic role, on the engine itself: what is refused before any host is
 * dialled, and how a host that cannot be reached fails, through the server's real SSH transport.
 * Only loopback addresses are ever dialled. Keys installed on a real sshd: the api-compat
 * {@code DynamicKeyLoginTest}.
 */
class DynamicCredsTest {
    private static final String ADMIN_KEY = SshKeyGenerator.generate("ed25519", 0).toPem();

    /** A dynamic role that admits any user on 127.0.0.0/8 and port, with these fields changed. */
    private static void role(BackendHarness ssh, String name, int port, Object... changes) {
        Map<String, Object> role = new HashMap<>(Map.of("key_type", "dynamic", "key", "admin", "admin_user", "ops",
                "default_user", "app", "allowed_users", "*", "cidr_list", "127.0.0.0/8", "port", port));
        for (int i = 0; i < changes.length; i += 2) {
            role.put((String) changes[i], changes[i + 1]);
        }
        ssh.write("roles/" + name, role).assertNoContent();
    }

    private static BackendHarness withAdminKey(BackendHarness ssh) {
        ssh.write("keys/admin", Map.of("key", ADMIN_KEY)).assertNoContent();
        return ssh;
    }

    @Test
    void anAddressOutsideTheRoleIsRefused() {
        BackendHarness ssh = withAdminKey(BackendHarness.create());
        role(ssh, "checked", 22);
        ssh.write("creds/checked", Map.of("ip", "192.168.1.1"))
                .assertError(400, "Error validating IP: IP does not belong to role");
    }

    /** The user name becomes part of a command on the host, so it must be a plain account name. */
    @ParameterizedTest
    @ValueSource(strings = {"a b", "alice;touch /tmp/owned", "$(id)", "-oProxyCommand=x"})
    void aUserNameThatIsNotAnAccountNameIsRefused(String username) {
        BackendHarness ssh = withAdminKey(BackendHarness.create());
        role(ssh, "anyone", 22);
        ssh.write("creds/anyone", Map.of("ip", "127.0.0.1", "username", username)).assertError(400, "username \""
                + username + "\" is not a valid account name: dynamic keys need letters, digits, '.', '_' or '-' "
                + "(it becomes part of a command on the host)");
    }

    /**
     * A role stored before the rules for what reaches a host existed (here: changed in storage)
     * is refused at use, before any host is dialled: this harness cannot dial, so a 502 would
     * mean it tried.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            key_option_specs | no-pty\\nssh-ed25519 AAAA attacker | key_option_specs must not contain control characters (found U+000A): it is sent to the target host
            admin_user       | ops\\r                           | admin_user must not contain control characters (found U+000D): it is sent to the target host
            default_user     | app\\u0000                       | username "app\\x00" is not a valid account name: dynamic keys need letters, digits, '.', '_' or '-' (it becomes part of a command on the host)
            """)
    void aStoredRoleWithControlCharactersIsRefusedAtUse(String field, String escaped, String error) {
        BackendHarness ssh = withAdminKey(BackendHarness.create());
        role(ssh, "old", 22, "key_option_specs", "no-pty");
        String stored = new String(ssh.storage().get("roles/old").orElseThrow(), StandardCharsets.UTF_8);
        String jsonValue = escaped.replace("\\n", "\\u000a").replace("\\r", "\\u000d");
        String tampered = stored.replaceFirst("\"" + field + "\":\"[^\"]*\"", Matcher.quoteReplacement("\"" + field + "\":\"" + jsonValue + "\""));
        assertNotEquals(stored, tampered);
        ssh.storage().put("roles/old", tampered.getBytes(StandardCharsets.UTF_8));
        ssh.write("creds/old", Map.of("ip", "127.0.0.1")).assertError(400, error);
    }

    @Test
    void aRoleNeedsItsAdminKeyWhenWrittenAndWhenUsed() {
        BackendHarness ssh = withAdminKey(BackendHarness.create());
        Map<String, Object> orphan = Map.of("key_type", "dynamic", "key", "temporary", "admin_user", "ops",
                "default_user", "app", "cidr_list", "127.0.0.0/8");
        ssh.write("roles/orphan", orphan).assertError(400, "invalid 'key': \"temporary\"");
        ssh.write("keys/temporary", Map.of("key", ADMIN_KEY)).assertNoContent();
        ssh.write("roles/orphan", orphan).assertNoContent();
        ssh.delete("keys/temporary").assertNoContent();
        ssh.write("creds/orphan", Map.of("ip", "127.0.0.1")).assertError(400, "key \"temporary\" not found");
    }

    @Test
    void aClosedPortIsAClearError() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (BackendHarness ssh = withAdminKey(BackendHarness.withRealSsh())) {
            role(ssh, "nowhere", closed);
            ssh.write("creds/nowhere", Map.of("ip", "127.0.0.1")).assertError(502,
                    "failed to add public key to authorized_keys file in target: 127.0.0.1:" + closed
                            + ": connect: connection refused");
        }
    }

    /** The kernel completes the handshake for a socket nobody accepts: a host that never speaks SSH. */
    @Test
    void aHostThatNeverSpeaksSshTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
             BackendHarness ssh = withAdminKey(BackendHarness.withRealSsh())) {
            role(ssh, "silent", silent.getLocalPort(), "connect_timeout", "1s");
            long start = System.nanoTime();
            ssh.write("creds/silent", Map.of("ip", "127.0.0.1")).assertError(502,
                    "failed to add public key to authorized_keys file in target: 127.0.0.1:" + silent.getLocalPort()
                            + ": connect: no SSH key exchange within 1s (is an SSH server listening there?)");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "bounded by the connect timeout");
        }
    }
}
