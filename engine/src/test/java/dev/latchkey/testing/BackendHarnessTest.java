package dev.latchkey.testing;

import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The harness hands the engine what the HTTP layer would, and says plainly what it cannot do. */
class BackendHarnessTest {
    static Stream<Arguments> javaValuesAndTheirJsonText() {
        return Stream.of(
                arguments(22, "22"),
                arguments(22L, "22"),
                arguments(BigInteger.valueOf(22), "22"),
                arguments(3_000_000_000L, "3000000000"),
                arguments(new BigInteger("99999999999999999999"), "99999999999999999999"),
                arguments(22.5, "22.5"),
                arguments(new BigDecimal("1.50"), "1.50"),
                arguments(true, "true"),
                arguments("x", "\"x\""),
                arguments(null, "null"),
                arguments(List.of(1, "a", 2.5), "[1,\"a\",2.5]"),
                arguments(Map.of("k", 2L), "{\"k\":2}"));
    }

    /** Same value and same Java class: the engine's weak typing sees no difference between the two ways. */
    @ParameterizedTest(name = "{0} arrives as {1} would")
    @MethodSource("javaValuesAndTheirJsonText")
    void aJavaValueArrivesAsItsJsonTextWould(Object java, String json) {
        Object parsed = BackendHarness.parseJson("{\"v\":" + json + "}").get("v");
        Object given = BackendHarness.jsonValue(java);
        assertEquals(parsed, given);
        assertEquals(String.valueOf(classes(parsed)), String.valueOf(classes(given)));
    }

    @Test
    void dynamicCredsWithoutATransportFailAtTheConnectStep() {
        BackendHarness ssh = BackendHarness.create();
        dynamicRole(ssh, 22);
        ssh.write("creds/web", Map.of("ip", "127.0.0.1")).assertError(502,
                "failed to add public key to authorized_keys file in target: 127.0.0.1:22: connect: "
                        + "this BackendHarness has no SSH transport (BackendHarness.withRealSsh() has one)");
    }

    @Test
    void theRealTransportReallyConnects() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (BackendHarness ssh = BackendHarness.withRealSsh()) {
            dynamicRole(ssh, closedPort);
            String error = ssh.write("creds/web", Map.of("ip", "127.0.0.1")).failure().getMessage();
            assertTrue(error.startsWith("failed to add public key to authorized_keys file in target: 127.0.0.1:"
                    + closedPort + ": connect: "), error);
            assertFalse(error.contains("no SSH transport"), error);
        }
    }

    private static void dynamicRole(BackendHarness ssh, int port) {
        ssh.write("keys/admin", Map.of("key", SshKeyGenerator.generate("ed25519", 0).toPem())).assertNoContent();
        ssh.write("roles/web", Map.of("key_type", "dynamic", "key", "admin", "admin_user", "ops",
                "default_user", "app", "cidr_list", "127.0.0.0/8", "port", port)).assertNoContent();
    }

    /** The classes of a value and, for lists and maps, of what they hold. */
    private static Object classes(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(BackendHarnessTest::classes).toList();
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + classes(e.getValue())).toList();
        }
        return value == null ? null : value.getClass().getSimpleName();
    }
}
