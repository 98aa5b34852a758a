package dev.latchkey.engine.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FieldConverterTest {

    private static Object convert(FieldType type, Object raw) throws FieldConversionException {
        return FieldConverter.convert(type, raw);
    }

    private static void assertFails(FieldType type, Object raw, String message) {
        FieldConversionException e = assertThrows(FieldConversionException.class, () -> convert(type, raw));
        assertEquals(message, e.getMessage());
    }

    // ---- STRING

    static Stream<Arguments> strings() {
        return Stream.of(
                Arguments.of("abc", "abc"),
                Arguments.of(" a b ", " a b "),
                Arguments.of("", ""),
                Arguments.of(null, ""),
                Arguments.of(true, "1"), // mapstructure's weak decoding, which Vault uses
                Arguments.of(false, "0"),
                Arguments.of(42, "42"),
                Arguments.of(-42L, "-42"),
                Arguments.of(Long.MAX_VALUE, "9223372036854775807"),
                Arguments.of(BigInteger.TWO.pow(70), "1180591620717411303424"),
                Arguments.of(new BigDecimal("1.5"), "1.5"),
                Arguments.of(new BigDecimal("1.50"), "1.50"),
                Arguments.of(new BigDecimal("22.0"), "22.0"), // json.Number text as written
                Arguments.of(new BigDecimal("1E+3"), "1000"),
                Arguments.of(new BigDecimal("-0.25"), "-0.25"),
                Arguments.of(1.5d, "1.5"),
                Arguments.of(22.0d, "22"),
                Arguments.of(1e21d, "1000000000000000000000"),
                Arguments.of(1e-7d, "0.0000001"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> [{1}]")
    @MethodSource("strings")
    void convertsScalarsToText(Object raw, String expected) throws FieldConversionException {
        assertEquals(expected, convert(FieldType.STRING, raw));
    }

    @Test
    void stringRefusesCollections() {
        assertFails(FieldType.STRING, List.of("a"), "expected a string, got 'slice'");
        assertFails(FieldType.STRING, Map.of("a", "b"), "expected a string, got 'map'");
    }

    // ---- INT

    static Stream<Arguments> ints() {
        return Stream.of(
                Arguments.of(22, 22L),
                Arguments.of(-22L, -22L),
                Arguments.of((short) 7, 7L),
                Arguments.of(BigInteger.valueOf(Long.MAX_VALUE), Long.MAX_VALUE),
                Arguments.of(BigInteger.valueOf(Long.MIN_VALUE), Long.MIN_VALUE),
                Arguments.of(new BigDecimal("22"), 22L),
                Arguments.of(null, 0L),
                Arguments.of("", 0L),
                Arguments.of(true, 1L),
                Arguments.of(false, 0L),
                Arguments.of("22", 22L),
                Arguments.of("+22", 22L),
                Arguments.of("-22", -22L),
                Arguments.of("0", 0L),
                Arguments.of("-0", 0L),
                Arguments.of("00", 0L),
                Arguments.of("0x1F", 31L),
                Arguments.of("0X1f", 31L),
                Arguments.of("-0x10", -16L),
                Arguments.of("0o17", 15L),
                Arguments.of("0O17", 15L),
                Arguments.of("017", 15L),
                Arguments.of("0b101", 5L),
                Arguments.of("0B101", 5L),
                Arguments.of("1_000", 1000L),
                Arguments.of("0x_1F", 31L),
                Arguments.of("0_17", 15L),
                Arguments.of("9223372036854775807", Long.MAX_VALUE),
                Arguments.of("-9223372036854775808", Long.MIN_VALUE),
                Arguments.of("-0x8000000000000000", Long.MIN_VALUE),
                Arguments.of("0x7fffffffffffffff", Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("ints")
    void convertsToLong(Object raw, long expected) throws FieldConversionException {
        assertEquals(expected, convert(FieldType.INT, raw));
    }

    @ParameterizedTest(name = "[{index}] [{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            abc                   | invalid syntax
            ' 22'                 | invalid syntax
            '22 '                 | invalid syntax
            22.0                  | invalid syntax
            1e3                   | invalid syntax
            08                    | invalid syntax
            0x                    | invalid syntax
            0b                    | invalid syntax
            0b102                 | invalid syntax
            0xg                   | invalid syntax
            1__0                  | invalid syntax
            _1                    | invalid syntax
            1_                    | invalid syntax
            0x_                   | invalid syntax
            --1                   | invalid syntax
            +-1                   | invalid syntax
            -                     | invalid syntax
            +                     | invalid syntax
            ٣                     | invalid syntax
            9223372036854775808   | value out of range
            -9223372036854775809  | value out of range
            99999999999999999999  | value out of range
            99999999999999999999x | value out of range
            0x8000000000000000    | value out of range
            0x10000000000000000   | value out of range
            """)
    void rejectsBadIntegerText(String raw, String reason) {
        assertFails(FieldType.INT, raw,
                "cannot parse '" + raw + "' as int: strconv.ParseInt: parsing \"" + raw + "\": " + reason);
    }

    @Test
    void quotesLikeGoInIntErrors() {
        assertFails(FieldType.INT, "a\nb\"c\\",
                "cannot parse 'a\nb\"c\\' as int: strconv.ParseInt: parsing \"a\\nb\\\"c\\\\\": invalid syntax");
        assertFails(FieldType.INT, "\u0000\u007f\u00a0\u200b\ue000",
                "cannot parse '\u0000\u007f\u00a0\u200b\ue000' as int: strconv.ParseInt: parsing "
                        + "\"\\x00\\x7f\\u00a0\\u200b\\ue000\": invalid syntax");
        assertFails(FieldType.INT, "é😀",
                "cannot parse 'é😀' as int: strconv.ParseInt: parsing \"é😀\": invalid syntax");
    }

    @Test
    void rejectsNonIntegralAndHugeNumbers() {
        assertFails(FieldType.INT, new BigDecimal("22.0"),
                "cannot parse '22.0' as int: strconv.ParseInt: parsing \"22.0\": invalid syntax");
        assertFails(FieldType.INT, new BigDecimal("22.5"),
                "cannot parse '22.5' as int: strconv.ParseInt: parsing \"22.5\": invalid syntax");
        assertFails(FieldType.INT, new BigDecimal("1E+3"),
                "cannot parse '1E+3' as int: strconv.ParseInt: parsing \"1E+3\": invalid syntax");
        assertFails(FieldType.INT, 22.0d,
                "cannot parse '22.0' as int: strconv.ParseInt: parsing \"22.0\": invalid syntax");
        assertFails(FieldType.INT, BigInteger.TWO.pow(63),
                "cannot parse '9223372036854775808' as int: strconv.ParseInt: parsing \"9223372036854775808\":"
                        + " value out of range");
        assertFails(FieldType.INT, List.of(1), "expected an int, got 'slice'");
        assertFails(FieldType.INT, Map.of("a", 1), "expected an int, got 'map'");
    }

    // ---- BOOL

    static Stream<Arguments> bools() {
        return Stream.of(
                Arguments.of(true, true),
                Arguments.of(false, false),
                Arguments.of(null, false),
                Arguments.of("", false),
                Arguments.of("1", true),
                Arguments.of("t", true),
                Arguments.of("T", true),
                Arguments.of("true", true),
                Arguments.of("TRUE", true),
                Arguments.of("True", true),
                Arguments.of("0", false),
                Arguments.of("f", false),
                Arguments.of("F", false),
                Arguments.of("false", false),
                Arguments.of("FALSE", false),
                Arguments.of("False", false),
                Arguments.of(0, false),
                Arguments.of(1, true),
                Arguments.of(1L, true),
                Arguments.of(BigInteger.ZERO, false),
                Arguments.of(BigInteger.ONE, true),
                Arguments.of(0.0d, false),
                Arguments.of(-0.0d, false),
                Arguments.of(0.1d, true));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("bools")
    void convertsToBoolean(Object raw, boolean expected) throws FieldConversionException {
        assertEquals(expected, convert(FieldType.BOOL, raw));
    }

    @ParameterizedTest(name = "[{index}] [{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            maybe  | "maybe"
            yes    | "yes"
            tRUE   | "tRUE"
            ' true'| " true"
            2      | "2"
            'a"b'  | "a\\"b"
            """)
    void rejectsBadBooleanText(String raw, String quoted) {
        assertFails(FieldType.BOOL, raw,
                "cannot parse '" + raw + "' as bool: strconv.ParseBool: parsing " + quoted + ": invalid syntax");
    }

    /** JSON numbers reach Vault as json.Number text, which ParseBool reads: only 1 and 0 are booleans. */
    @Test
    void numbersOtherThanOneAndZeroAreNotBooleans() {
        assertFails(FieldType.BOOL, 5, "cannot parse '5' as bool: strconv.ParseBool: parsing \"5\": invalid syntax");
        assertFails(FieldType.BOOL, -1L, "cannot parse '-1' as bool: strconv.ParseBool: parsing \"-1\": invalid syntax");
        assertFails(FieldType.BOOL, BigInteger.TWO.pow(80), "cannot parse '1208925819614629174706176' as bool: "
                + "strconv.ParseBool: parsing \"1208925819614629174706176\": invalid syntax");
        assertFails(FieldType.BOOL, new BigDecimal("0.0"),
                "cannot parse '0.0' as bool: strconv.ParseBool: parsing \"0.0\": invalid syntax");
    }

    @Test
    void boolRefusesCollections() {
        assertFails(FieldType.BOOL, List.of(), "expected a bool, got 'slice'");
        assertFails(FieldType.BOOL, Map.of(), "expected a bool, got 'map'");
    }

    // ---- DURATION

    @Test
    void durationDelegatesToDurations() throws FieldConversionException {
        assertEquals(5400L, convert(FieldType.DURATION, "1h30m"));
        assertEquals(0L, convert(FieldType.DURATION, null));
        assertFails(FieldType.DURATION, "-1h", "cannot provide negative value '-3600'");
    }

    // ---- MAP

    @Test
    void mapIsAnIndependentCopyInOrder() throws FieldConversionException {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("z", 1);
        source.put("a", Arrays.asList("x", null));
        source.put("n", null);
        Object converted = convert(FieldType.MAP, source);
        assertEquals(source, converted);
        assertEquals(List.of("z", "a", "n"), new ArrayList<>(((Map<?, ?>) converted).keySet()));
        source.put("later", true);
        assertEquals(3, ((Map<?, ?>) converted).size());
        assertThrows(UnsupportedOperationException.class, () -> ((Map<?, ?>) converted).clear());
    }

    @Test
    void mapFromNullIsEmpty() throws FieldConversionException {
        assertEquals(Map.of(), convert(FieldType.MAP, null));
        assertEquals(Map.of(), convert(FieldType.STRING_MAP, null));
    }

    static Stream<Arguments> notMaps() {
        return Stream.of(
                Arguments.of("x", "string"),
                Arguments.of("", "string"),
                Arguments.of(true, "bool"),
                Arguments.of(5, "int"),
                Arguments.of(BigInteger.ONE, "int"),
                Arguments.of(new BigDecimal("1.5"), "float64"),
                Arguments.of(1.5d, "float64"),
                Arguments.of(List.of(), "slice"),
                Arguments.of(List.of(Map.of("a", 1)), "slice"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("notMaps")
    void mapsAcceptObjectsOnly(Object raw, String kind) {
        assertFails(FieldType.MAP, raw, "expected a map, got '" + kind + "'");
        assertFails(FieldType.STRING_MAP, raw, "expected a map, got '" + kind + "'");
    }

    @Test
    void stringMapFormatsValuesWithPercentV() throws FieldConversionException {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("permit-pty", "");
        source.put("a", true);
        source.put("b", 5);
        source.put("c", "x");
        source.put("d", new BigDecimal("1.5"));
        source.put("e", null);
        source.put("f", List.of(1, "a"));
        source.put("g", new LinkedHashMap<>(Map.of("z", 1)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("permit-pty", "");
        expected.put("a", "true");
        expected.put("b", "5");
        expected.put("c", "x");
        expected.put("d", "1.5");
        expected.put("e", "<nil>");
        expected.put("f", "[1 a]");
        expected.put("g", "map[z:1]");
        Object converted = convert(FieldType.STRING_MAP, source);
        assertEquals(expected, converted);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(((Map<?, ?>) converted).keySet()));
    }

    // ---- COMMA_STRING_SLICE

    static Stream<Arguments> slices() {
        return Stream.of(
                Arguments.of(null, List.of()),
                Arguments.of("", List.of()),
                Arguments.of(",", List.of()),
                Arguments.of(" , ,", List.of()),
                Arguments.of("a,b", List.of("a", "b")),
                Arguments.of(" a , b ,, ", List.of("a", "b")),
                Arguments.of("a b", List.of("a b")),
                Arguments.of(List.of(), List.of()),
                Arguments.of(List.of("a", " b ", "", " "), List.of("a", "b")),
                Arguments.of(List.of("a,b"), List.of("a,b")),
                Arguments.of(Arrays.asList(1, true, new BigDecimal("1.5"), null), List.of("1", "1", "1.5")),
                Arguments.of(5, List.of("5")),
                Arguments.of(true, List.of("1")),
                Arguments.of(new BigDecimal("2.50"), List.of("2.50")));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("slices")
    void convertsToTrimmedList(Object raw, List<String> expected) throws FieldConversionException {
        assertEquals(expected, convert(FieldType.COMMA_STRING_SLICE, raw));
    }

    @Test
    void sliceRefusesMapsAndNestedCollections() {
        assertFails(FieldType.COMMA_STRING_SLICE, Map.of("a", "b"), "expected a list or string, got 'map'");
        assertFails(FieldType.COMMA_STRING_SLICE, List.of(Map.of("a", "b")), "expected a string, got 'map'");
        assertFails(FieldType.COMMA_STRING_SLICE, List.of("a", List.of("b")), "expected a string, got 'slice'");
    }

    @Test
    void sliceIsUnmodifiable() throws FieldConversionException {
        List<?> list = (List<?>) convert(FieldType.COMMA_STRING_SLICE, "a,b");
        assertThrows(UnsupportedOperationException.class, list::clear);
    }

    // ---- robustness: bad input only ever raises FieldConversionException

    static Stream<Object> nastyValues() {
        Map<Object, Object> nullKeyed = new HashMap<>();
        nullKeyed.put(null, null);
        return Stream.of(null, "", " ", "\u0000", "-", "+", "0x", "1e999999", "NaN", "-9223372036854775809",
                "99999999999999999999d", "\ud800", "µs", "1µs", "--1h", ".", "d", "0d", "-d",
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0d, Double.MAX_VALUE,
                Double.MIN_VALUE, Float.NaN, new BigDecimal("1E+1000000"), new BigDecimal("-1E+1000000"),
                new BigDecimal("1E-1000000"), BigInteger.TWO.pow(1000).negate(), Long.MIN_VALUE,
                Integer.MIN_VALUE, 'x', new Object(), new int[] {1}, Arrays.asList(null, null),
                List.of(List.of()), nullKeyed, Map.of("a", List.of(Map.of())));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("nastyValues")
    void onlyFieldConversionExceptionEscapes(Object raw) {
        for (FieldType type : FieldType.values()) {
            try {
                FieldConverter.convert(type, raw);
            } catch (FieldConversionException expected) {
                // the documented failure
            } catch (RuntimeException e) {
                fail(type + " on " + raw + " threw " + e);
            }
        }
    }
}
