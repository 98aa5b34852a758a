package dev.latchkey.engine.gocompat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {

    static Stream<Arguments> seconds() {
        return Stream.of(
                Arguments.of(null, 0L),
                Arguments.of("", 0L),
                Arguments.of("300", 300L),
                Arguments.of("+300", 300L),
                Arguments.of("0300", 300L),
                Arguments.of("0", 0L),
                Arguments.of("-0", 0L),
                Arguments.of(300, 300L),
                Arguments.of(300L, 300L),
                Arguments.of(BigInteger.valueOf(300), 300L),
                Arguments.of(new BigDecimal("300.9"), 300L),
                Arguments.of(new BigDecimal("0.5"), 0L),
                Arguments.of(new BigDecimal("-0.5"), 0L),
                Arguments.of(new BigDecimal("3E+2"), 300L),
                Arguments.of(new BigDecimal("1E-1000000"), 0L),
                Arguments.of(300.9d, 300L),
                Arguments.of(-0.9d, 0L),
                Arguments.of("7d", 604_800L),
                Arguments.of("0d", 0L),
                Arguments.of("+1d", 86_400L),
                Arguments.of("007d", 604_800L),
                Arguments.of("90s", 90L),
                Arguments.of("10m", 600L),
                Arguments.of("1h", 3600L),
                Arguments.of("+1h", 3600L),
                Arguments.of("1h30m", 5400L),
                Arguments.of("1h1h", 7200L),
                Arguments.of("1.5h", 5400L),
                Arguments.of(".5m", 30L),
                Arguments.of("1.m", 60L),
                Arguments.of("250ms", 0L),
                Arguments.of("1500ms", 1L),
                Arguments.of("2.9s", 2L),
                Arguments.of("-0.5s", 0L),
                Arguments.of("-0s", 0L),
                Arguments.of("1000000us", 1L),
                Arguments.of("1000000\u00b5s", 1L),
                Arguments.of("1000000\u03bcs", 1L),
                Arguments.of("1000000000ns", 1L),
                Arguments.of("999999999ns", 0L),
                Arguments.of("9223372036", 9_223_372_036L),
                Arguments.of(9_223_372_036L, 9_223_372_036L),
                Arguments.of("2562047h", 9_223_369_200L),
                Arguments.of("106751d", 9_223_286_400L),
                Arguments.of("9223372036854775807ns", 9_223_372_036L),
                Arguments.of("2562047h47m16.854775807s", 9_223_372_036L),
                // Vault's int(d.Seconds()) goes through float64, which rounds this one up.
                Arguments.of("9000000000.999999999s", 9_000_000_001L));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("seconds")
    void parsesSeconds(Object raw, long expected) throws GoParseException {
        assertEquals(expected, Durations.parseSeconds(raw));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                // negative results: Vault prints the converted seconds
                Arguments.of("-1", "cannot provide negative value '-1'"),
                Arguments.of(-5, "cannot provide negative value '-5'"),
                Arguments.of(-5L, "cannot provide negative value '-5'"),
                Arguments.of(BigInteger.valueOf(-7), "cannot provide negative value '-7'"),
                Arguments.of("-1h", "cannot provide negative value '-3600'"),
                Arguments.of("-1d", "cannot provide negative value '-86400'"),
                Arguments.of("-1.5s", "cannot provide negative value '-1'"),
                Arguments.of(new BigDecimal("-1.5"), "cannot provide negative value '-1'"),
                Arguments.of(-2.5d, "cannot provide negative value '-2'"),
                // out of a time.Duration's range
                Arguments.of("9223372037", "time: invalid duration \"9223372037\""),
                Arguments.of("-9223372037", "time: invalid duration \"-9223372037\""),
                Arguments.of("99999999999999999999", "time: invalid duration \"99999999999999999999\""),
                Arguments.of("2562048h", "time: invalid duration \"2562048h\""),
                Arguments.of("106752d", "time: invalid duration \"106752d\""),
                Arguments.of("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""),
                Arguments.of(9_223_372_037L, "time: invalid duration \"9223372037\""),
                Arguments.of(Long.MAX_VALUE, "time: invalid duration \"9223372036854775807\""),
                Arguments.of(BigInteger.TWO.pow(64), "time: invalid duration \"18446744073709551616\""),
                Arguments.of(new BigDecimal("9223372037.0"), "time: invalid duration \"9223372037.0\""),
                Arguments.of(new BigDecimal("1E+1000000"), "time: invalid duration \"1E+1000000\""),
                Arguments.of(1e300d, "time: invalid duration \"1e+300\""),
                Arguments.of(Double.NaN, "time: invalid duration \"NaN\""),
                Arguments.of(Double.POSITIVE_INFINITY, "time: invalid duration \"+Inf\""),
                // garbage, with Go's messages
                Arguments.of("abc", "time: invalid duration \"abc\""),
                Arguments.of(" 1h", "time: invalid duration \" 1h\""),
                Arguments.of("1h-30m", "time: unknown unit \"h-\" in duration \"1h-30m\""),
                Arguments.of(".", "time: invalid duration \".\""),
                Arguments.of("-", "time: invalid duration \"-\""),
                Arguments.of("+", "time: invalid duration \"+\""),
                Arguments.of("1.5", "time: missing unit in duration \"1.5\""),
                Arguments.of("10x", "time: unknown unit \"x\" in duration \"10x\""),
                Arguments.of("1 h", "time: unknown unit \" h\" in duration \"1 h\""),
                Arguments.of("1h ", "time: unknown unit \"h \" in duration \"1h \""),
                Arguments.of("7D", "time: unknown unit \"D\" in duration \"7D\""),
                Arguments.of("1e3s", "time: unknown unit \"e\" in duration \"1e3s\""),
                Arguments.of("1\u00b5", "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\""),
                Arguments.of("1\"s", "time: unknown unit \"\\\"s\" in duration \"1\\\"s\""),
                Arguments.of("1\ts", "time: unknown unit \"\\x09s\" in duration \"1\\x09s\""),
                // the "d" form reports strconv's error, as Vault does
                Arguments.of("1.5d", "strconv.ParseInt: parsing \"1.5\": invalid syntax"),
                Arguments.of("d", "strconv.ParseInt: parsing \"\": invalid syntax"),
                Arguments.of("1hd", "strconv.ParseInt: parsing \"1h\": invalid syntax"),
                Arguments.of("99999999999999999999d",
                        "strconv.ParseInt: parsing \"99999999999999999999\": value out of range"),
                // not scalars a duration can come from
                Arguments.of(true, "could not parse duration from input"),
                Arguments.of(List.of("1h"), "could not parse duration from input"),
                Arguments.of(Map.of("a", 1), "could not parse duration from input"),
                Arguments.of(new Object(), "could not parse duration from input"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("failures")
    void rejectsWithVaultsMessage(Object raw, String message) {
        GoParseException e = assertThrows(GoParseException.class, () -> Durations.parseSeconds(raw));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                          | 0
            +0                         | 0
            -0                         | 0
            0s                         | 0
            1ns                        | 1
            1us                        | 1000
            3.7µs                      | 3700
            1ms                        | 1000000
            300ms                      | 300000000
            1.5h                       | 5400000000000
            -1.5h                      | -5400000000000
            1.1h                       | 3960000000000
            1h30m                      | 5400000000000
            1h0.5m                     | 3630000000000
            0.000000001s               | 1
            0.0000000001s              | 0
            1.0000000001s              | 1000000000
            1.00000000000000000000001h | 3600000000000
            9223372036854775807ns      | 9223372036854775807
            -9223372036854775808ns     | -9223372036854775808
            2562047h47m16.854775807s   | 9223372036854775807
            -2562047h47m16.854775808s  | -9223372036854775808
            """)
    void parsesGoDurations(String text, long nanos) throws GoParseException {
        assertEquals(nanos, Durations.parseGoDuration(text));
    }

    @ParameterizedTest(name = "[{index}] [{0}] -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                         | time: invalid duration ""
            1                          | time: missing unit in duration "1"
            00                         | time: missing unit in duration "00"
            300                        | time: missing unit in duration "300"
            1d                         | time: unknown unit "d" in duration "1d"
            1H                         | time: unknown unit "H" in duration "1H"
            9223372036854775808ns      | time: invalid duration "9223372036854775808ns"
            2562047h47m16.854775808s   | time: invalid duration "2562047h47m16.854775808s"
            100000000000000000000ns    | time: invalid duration "100000000000000000000ns"
            3000000h                   | time: invalid duration "3000000h"
            .s                         | time: invalid duration ".s"
            -.s                        | time: invalid duration "-.s"
            ++1s                       | time: invalid duration "++1s"
            """)
    void rejectsLikeGo(String text, String message) {
        GoParseException e = assertThrows(GoParseException.class,
                () -> Durations.parseGoDuration(text));
        assertEquals(message, e.getMessage());
    }

    /** Go 1.19's {@code fmt.Printf("%q", time.Duration(s)*time.Second)}, without the quotes. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0          | 0s
            1          | 1s
            59         | 59s
            60         | 1m0s
            61         | 1m1s
            3599       | 59m59s
            3600       | 1h0m0s
            3601       | 1h0m1s
            86400      | 24h0m0s
            2764800    | 768h0m0s
            3600000    | 1000h0m0s
            9223372036 | 2562047h47m16s
            -90        | -1m30s
            """)
    void formatsLikeGo(long seconds, String text) {
        assertEquals(text, Durations.format(seconds));
    }
}
