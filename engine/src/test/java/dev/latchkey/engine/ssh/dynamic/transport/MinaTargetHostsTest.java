package dev.latchkey.engine.ssh.dynamic.transport;

import dev.latchkey.engine.ssh.dynamic.AdminLogin;
import dev.latchkey.engine.ssh.dynamic.TargetHostException;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinaTargetHostsTest {
    @Test
    void ed25519ComesFromBouncyCastleNotNetI2p() {
        assertDoesNotThrow(MinaTargetHosts::requireBouncyCastle);
        assertTrue(SecurityUtils.getRegisteredProviders().contains("BC"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("net.i2p.crypto.eddsa.EdDSAEngine"));
    }

    @Test
    void aClosedPortIsAConnectFailureNamingTheHost() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AdminLogin login = new AdminLogin("127.0.0.1", port, "admin", SshKeyGenerator.generate("ed25519", 0),
                (address, key) -> { }, Duration.ofSeconds(5), Duration.ofSeconds(5));
        try (MinaTargetHosts hosts = new MinaTargetHosts()) {
            TargetHostException e = assertThrows(TargetHostException.class, () -> hosts.open(login));
            assertEquals(TargetHostException.Step.CONNECT, e.step());
            assertEquals("127.0.0.1:" + port + ": connect: connection refused", e.getMessage());
        }
    }
}
