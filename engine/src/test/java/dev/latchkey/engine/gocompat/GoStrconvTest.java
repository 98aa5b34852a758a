package dev.latchkey.engine.gocompat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Go's {@code strconv}: every expected value here is what Go 1.19 itself printed for the input. */
class GoStrconvTest {
    static Stream<Arguments> quotes() {
        return Stream.of(
                Arguments.of("", "\"\""),
                Arguments.of("plain", "\"plain\""),
                Arguments.of("a\"b", "\"a\\\"b\""),
                Arguments.of("back\\slash", "\"back\\\\slash\""),
                Arguments.of("a\u0007b", "\"a\\ab\""),
                Arguments.of("\u000b\f\b", "\"\\v\\f\\b\""),
                Arguments.of("tab\there", "\"tab\\there\""),
                Arguments.of("nl\nx", "\"nl\\nx\""),
                Arguments.of("cr\rx", "\"cr\\rx\""),
                Arguments.of("\u0000", "\"\\x00\""),
                Arguments.of("\u001b[31m", "\"\\x1b[31m\""),
                Arguments.of("\u007f", "\"\\x7f\""),
                Arguments.of("\u0080", "\"\\u0080\""),
                Arguments.of("x\u00a0y", "\"x\\u00a0y\""),
                Arguments.of("\u00ad", "\"\\u00ad\""),
                Arguments.of("\u200b", "\"\\u200b\""),
                Arguments.of("\u2028", "\"\\u2028\""),
                Arguments.of("\u3000", "\"\\u3000\""),
                Arguments.of("\ufeff", "\"\\ufeff\""),
                Arguments.of("\ue000", "\"\\ue000\""),
                Arguments.of("\u0378", "\"\\u0378\""),
                Arguments.of("a b", "\"a b\""),
                Arguments.of("é", "\"é\""),
                Arguments.of("日本語", "\"日本語\""),
                Arguments.of("😀", "\"😀\""),
                Arguments.of("\udbff\udfff", "\"\\U0010ffff\""));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("quotes")
    void quotesAsGoDoes(String input, String expected) {
        assertEquals(expected, GoStrconv.quote(input));
        assertEquals(expected, GoFormat.q(input));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1     | true
            t     | true
            T     | true
            TRUE  | true
            true  | true
            True  | true
            0     | false
            f     | false
            F     | false
            FALSE | false
            false | false
            False | false
            """)
    void parsesGoBooleans(String text, boolean expected) throws GoParseException {
        assertEquals(expected, GoStrconv.parseBool(text));
        assertEquals(expected, GoStrconv.parseBoolOrNull(text));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            tRUE   | strconv.ParseBool: parsing "tRUE": invalid syntax
            yes    | strconv.ParseBool: parsing "yes": invalid syntax
            ''     | strconv.ParseBool: parsing "": invalid syntax
            ' true'| strconv.ParseBool: parsing " true": invalid syntax
            """)
    void refusesEverythingElseWithGosMessage(String text, String message) {
        assertEquals(message, assertThrows(GoParseException.class, () -> GoStrconv.parseBool(text)).getMessage());
        assertNull(GoStrconv.parseBoolOrNull(text));
    }
}
