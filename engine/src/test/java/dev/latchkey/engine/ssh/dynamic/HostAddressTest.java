package dev.latchkey.engine.ssh.dynamic;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HostAddressTest {
    @Test
    void formatsLikeOpenSshKnownHosts() {
        assertEquals("10.0.0.5:22", HostAddress.of("10.0.0.5", 22));
        assertEquals("[2001:db8::5]:2222", HostAddress.of("2001:db8::5", 2222));
    }

    @Test
    void parsesOnlyNormalForms() {
        for (String good : List.of("10.0.0.5:22", "[2001:db8::5]:22", "[::1]:65535", "127.0.0.1:1")) {
            assertEquals(Optional.of(good), HostAddress.parseNormal(good), good);
        }
        for (String bad : List.of("10.0.0.5", "10.0.0.5:", ":22", "10.0.0.5:0", "10.0.0.5:65536", "10.0.0.5:022",
                "2001:db8::5:22", "[2001:DB8::5]:22", "[2001:db8:0::5]:22", "host.example:22", "[10.0.0.5]:22",
                "10.0.0.5:22:22", "10.0.0.5:+22")) {
            assertEquals(Optional.empty(), HostAddress.parseNormal(bad), bad);
        }
    }
}
