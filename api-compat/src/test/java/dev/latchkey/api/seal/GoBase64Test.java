package dev.latchkey.api.seal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Go's {@code base64.StdEncoding.DecodeString}: what it accepts, and the offsets it names (from Go 1.19). */
class GoBase64Test {
    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            abc         | 0
            ab$d        | 2
            abcd=       | 4
            ab=d        | 2
            abcde       | 4
            a===        | 1
            abcdef      | 4
            ab==cd      | 4
            'not a key!'| 3
            QUJD$       | 4
            AAAA====    | 4
            ab=         | 3
            """)
    void corruptInputIsReportedAtGosOffset(String input, int offset) {
        assertEquals("illegal base64 data at input byte " + offset,
                assertThrows(IllegalArgumentException.class, () -> GoBase64.decode(input)).getMessage());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            ab==        | 69
            QUJD        | 414243
            QUI=        | 4142
            QUJDRA==    | 41424344
            ''          | ''
            """)
    void validInputDecodes(String input, String hex) {
        assertEquals(hex, HexFormat.of().formatHex(GoBase64.decode(input)));
    }

    @ParameterizedTest(name = "newlines are skipped: [{index}]")
    @ValueSource(strings = {"QU\nJD", "QUJD\r\n", "\nQUJD"})
    void newlinesAreSkipped(String input) {
        assertEquals("414243", HexFormat.of().formatHex(GoBase64.decode(input)));
    }
}
