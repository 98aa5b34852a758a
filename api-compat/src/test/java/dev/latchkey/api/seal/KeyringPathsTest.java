package dev.latchkey.api.seal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code install_time} as Go's {@code time.RFC3339Nano} writes it: no trailing zeros in the fraction. */
class KeyringPathsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            2024-06-07T10:00:00Z,           2024-06-07T10:00:00Z
            2024-06-07T10:00:00.120Z,       2024-06-07T10:00:00.12Z
            2024-06-07T10:00:00.000000001Z, 2024-06-07T10:00:00.000000001Z
            2024-06-07T10:00:00.123456789Z, 2024-06-07T10:00:00.123456789Z
            2024-06-07T10:00:00.5Z,         2024-06-07T10:00:00.5Z
            """)
    void installTimeIsRfc3339Nano(String instant, String expected) {
        assertEquals(expected, KeyringPaths.rfc3339Nano(Instant.parse(instant)));
    }
}
