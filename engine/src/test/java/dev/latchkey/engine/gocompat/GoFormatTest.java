package dev.latchkey.engine.gocompat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoFormatTest {

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(null, "<nil>"),
                Arguments.of("x y", "x y"),
                Arguments.of("", ""),
                Arguments.of(true, "true"),
                Arguments.of(false, "false"),
                Arguments.of(5, "5"),
                Arguments.of(-5L, "-5"),
                Arguments.of(Long.MIN_VALUE, "-9223372036854775808"),
                Arguments.of(new BigInteger("123456789012345678901234567890"), "123456789012345678901234567890"),
                Arguments.of(new BigDecimal("1.5"), "1.5"),
                Arguments.of(new BigDecimal("1.50"), "1.50"),
                Arguments.of(new BigDecimal("22.0"), "22"),
                Arguments.of(new BigDecimal("-22.000"), "-22"),
                Arguments.of(new BigDecimal("1E+3"), "1000"),
                Arguments.of(new BigDecimal("1.5E-7"), "0.00000015"),
                Arguments.of(new BigDecimal("0.0"), "0"),
                Arguments.of(new BigDecimal("1E+1000000"), "1E+1000000"),
                Arguments.of(1.5d, "1.5"),
                Arguments.of(22.0d, "22"),
                Arguments.of(123456.0d, "123456"),
                Arguments.of(1e6d, "1e+06"),
                Arguments.of(123456789.0d, "1.23456789e+08"),
                Arguments.of(1e21d, "1e+21"),
                Arguments.of(1e100d, "1e+100"),
                Arguments.of(0.0001d, "0.0001"),
                Arguments.of(0.00001d, "1e-05"),
                Arguments.of(-2.5e-10d, "-2.5e-10"),
                Arguments.of(0.0d, "0"),
                Arguments.of(-0.0d, "-0"),
                Arguments.of(Double.NaN, "NaN"),
                Arguments.of(Double.POSITIVE_INFINITY, "+Inf"),
                Arguments.of(Double.NEGATIVE_INFINITY, "-Inf"),
                Arguments.of(1.5f, "1.5"),
                Arguments.of(List.of(), "[]"),
                Arguments.of(List.of("a", "b", "c"), "[a b c]"),
                Arguments.of(Arrays.asList(1, null, true, new BigDecimal("2.5")), "[1 <nil> true 2.5]"),
                Arguments.of(List.of(List.of("a", "b"), "c"), "[[a b] c]"),
                Arguments.of(Map.of(), "map[]"),
                Arguments.of(ordered("b", 2, "a", 1), "map[a:1 b:2]"),
                Arguments.of(ordered("a", 2, "B", 1), "map[B:1 a:2]"),
                Arguments.of(ordered("k", List.of(1, 2), "j", ordered("y", "z")), "map[j:map[y:z] k:[1 2]]"),
                Arguments.of(ordered("a", null), "map[a:<nil>]"),
                // Code point order (Go's byte order), not UTF-16 order: U+FFFD sorts before U+1F600.
                Arguments.of(ordered("\ud83d\ude00", 1, "\ufffd", 2), "map[\ufffd:2 \ud83d\ude00:1]"),
                Arguments.of(List.of(ordered("a", true)), "[map[a:true]]"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("cases")
    void printsLikeGoPercentV(Object value, String expected) {
        assertEquals(expected, GoFormat.v(value));
    }

    static Stream<Arguments> plainFloats() {
        return Stream.of(
                Arguments.of(1e6d, "1000000"),
                Arguments.of(1e21d, "1000000000000000000000"),
                Arguments.of(1e-7d, "0.0000001"),
                Arguments.of(0.1d, "0.1"),
                Arguments.of(-0.0d, "-0"),
                Arguments.of(123.456d, "123.456"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("plainFloats")
    void formatsFloatsPlainForF(double value, String expected) {
        assertEquals(expected, GoFormat.formatFloat(value, 'f'));
    }

    @Test
    void nullMapKeysDoNotBreakFormatting() {
        Map<Object, Object> map = new HashMap<>();
        map.put(null, 1);
        map.put("a", new ArrayList<>());
        assertEquals("map[<nil>:1 a:[]]", GoFormat.v(map));
    }
}
