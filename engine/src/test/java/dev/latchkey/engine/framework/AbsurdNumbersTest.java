package dev.latchkey.engine.framework;

import dev.latchkey.testing.BackendHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * JSON numbers whose text is a few bytes but whose value is absurd, in every field type: each
 * converts or fails with a {@link FieldConversionException} (a 400 once {@link LogicalBackend}
 * wraps it), and quickly. The generous timeout only guards against a hang; a number whose
 * exponent were expanded would take seconds and gigabytes.
 */
class AbsurdNumbersTest {
    /** The numbers as a client sends them; the HTTP layer's parser turns them into Java values. */
    private static final List<String> NUMBERS = List.of(
            "1e2000000000", "1e2147483647", "-1e-2147483648", "1e-2000000000", "-1e-2147483647",
            "123456789e999999999", "0e2000000000", "0.0e-2000000000", "1".repeat(1000), "-" + "9".repeat(1000),
            "1e1000", "1e1001", "1e-1000", "1e-1001");

    static Stream<Arguments> numbersInEveryFieldType() {
        List<Arguments> rows = new ArrayList<>();
        for (String number : NUMBERS) {
            for (FieldType type : FieldType.values()) {
                rows.add(Arguments.of(number, type));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{1} <- {0}")
    @MethodSource("numbersInEveryFieldType")
    void convertsOrFailsCheaply(String number, FieldType type) {
        Object raw = parsed(number);
        if (raw == null) {
            return; // refused by the JSON parser (scale beyond an int): the HTTP layer's 400
        }
        for (Object value : List.of(raw, List.of(raw), Map.of("k", raw))) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    Object converted = FieldConverter.convert(type, value);
                    if (converted instanceof String s) {
                        assertTrue(s.length() <= 2100, "a bounded text: " + s.length() + " characters");
                    }
                } catch (FieldConversionException expected) {
                    // the documented failure, rendered as a 400
                } catch (RuntimeException e) {
                    fail(type + " on " + number + " threw " + e);
                }
            });
        }
    }

    /** What each type makes of them: "=" a value, "!" the reason of the refusal. */
    @ParameterizedTest(name = "{1} <- {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            1e2000000000    | STRING             | !exponent out of range for a string
            1e-2000000000   | STRING             | !exponent out of range for a string
            0e2000000000    | STRING             | !exponent out of range for a string
            1e2000000000    | COMMA_STRING_SLICE | !exponent out of range for a string
            1e3             | STRING             | =1000
            22.0            | STRING             | =22.0
            1e2000000000    | INT                | !cannot parse '1E+2000000000' as int: strconv.ParseInt: parsing "1E+2000000000": invalid syntax
            1e2000000000    | BOOL               | !cannot parse '1E+2000000000' as bool: strconv.ParseBool: parsing "1E+2000000000": invalid syntax
            1e2000000000    | DURATION           | !time: invalid duration "1E+2000000000"
            -1e-2147483647  | DURATION           | =0
            1e-2000000000   | DURATION           | =0
            1e2000000000    | STRING_MAP         | =map[k:1E+2000000000]
            """)
    void absurdNumbersGiveTheseAnswers(String number, FieldType type, String expected) throws Exception {
        Object raw = parsed(number);
        Object value = type == FieldType.STRING_MAP ? Map.of("k", raw) : raw;
        if (expected.startsWith("!")) {
            FieldConversionException e = assertThrows(FieldConversionException.class,
                    () -> FieldConverter.convert(type, value));
            assertEquals(expected.substring(1), e.getMessage());
        } else {
            Object converted = FieldConverter.convert(type, value);
            assertEquals(expected.substring(1), converted instanceof Map<?, ?> m
                    ? "map[k:" + m.get("k") + "]" : String.valueOf(converted));
        }
    }

    /** What the HTTP layer's JSON parser makes of the number, or null when it refuses it. */
    private static Object parsed(String number) {
        try {
            return BackendHarness.parseJson("{\"v\":" + number + "}").get("v");
        } catch (IllegalArgumentException refused) {
            assertFalse(number.matches("-?[0-9]+"), "integers always parse: " + number);
            return null;
        }
    }
}
