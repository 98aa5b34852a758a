package dev.latchkey.engine.gocompat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Vault's duration fields (its {@code parseutil.ParseDurationSecond}): seconds from a number, a
 * digit string, {@code "<n>d"} or a Go duration string. Results must fit a Go {@code time.Duration}
 * (about 292 years); Go would silently wrap beyond it, Latchkey refuses instead.
 */
public final class Durations {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;
    /** The largest whole number of seconds a time.Duration holds, either sign. */
    private static final long MAX_SECONDS = Long.MAX_VALUE / NANOS_PER_SECOND;
    private static final BigDecimal MAX_SECONDS_DECIMAL = BigDecimal.valueOf(MAX_SECONDS + 1);
    /** 1<<63 read as unsigned: the largest magnitude Go's parser carries. */
    private static final long MAGNITUDE_LIMIT = Long.MIN_VALUE;

    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // MICRO SIGN
            "\u03bcs", 1_000L, // GREEK SMALL LETTER MU
            "ms", 1_000_000L,
            "s", NANOS_PER_SECOND,
            "m", 60 * NANOS_PER_SECOND,
            "h", 3600 * NANOS_PER_SECOND);

    private Durations() {
    }

    /**
     * Whole seconds of a duration field value; null and {@code ""} give 0 ("use the default").
     *
     * @throws GoParseException for garbage, overflow, non-scalar input, or a negative
     *                                  result ({@code cannot provide negative value '<seconds>'})
     */
    public static long parseSeconds(Object raw) throws GoParseException {
        long seconds = toSeconds(raw);
        if (seconds < 0) {
            // Vault prints the converted seconds here, not the input ("-1h" gives '-3600').
            throw new GoParseException("cannot provide negative value '" + seconds + "'");
        }
        return seconds;
    }

    private static long toSeconds(Object raw) throws GoParseException {
        if (raw == null) {
            return 0;
        }
        if (raw instanceof String s) {
            return textToSeconds(s);
        }
        if (raw instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw invalid(big.toString());
            }
            return checkedSeconds(big.longValue(), big.toString());
        }
        if (GoFormat.isIntegral(raw)) {
            long value = ((Number) raw).longValue();
            return checkedSeconds(value, Long.toString(value));
        }
        if (raw instanceof BigDecimal decimal) {
            // Compared before truncating so that absurd exponents never expand.
            if (decimal.abs().compareTo(MAX_SECONDS_DECIMAL) >= 0) {
                throw invalid(decimal.toString());
            }
            return decimal.longValue(); // truncates toward zero
        }
        if (raw instanceof Double || raw instanceof Float) {
            double value = ((Number) raw).doubleValue();
            if (!(Math.abs(value) < MAX_SECONDS + 1)) { // also refuses NaN
                throw invalid(GoFormat.formatFloat(value, 'g'));
            }
            return (long) value;
        }
        throw new GoParseException("could not parse duration from input");
    }

    /**
     * Go's {@code time.Duration.String()} of whole seconds, as Vault prints durations in its
     * warnings: {@code 0s}, {@code 45s}, {@code 1m30s}, {@code 72h0m0s}.
     */
    public static String format(long seconds) {
        if (seconds == 0) {
            return "0s";
        }
        String sign = seconds < 0 ? "-" : "";
        long s = Math.abs(seconds);
        long hours = s / 3600;
        long minutes = s % 3600 / 60;
        long rest = s % 60;
        if (hours > 0) {
            return sign + hours + "h" + minutes + "m" + rest + "s";
        }
        return minutes > 0 ? sign + minutes + "m" + rest + "s" : sign + rest + "s";
    }

    /** Vault's order: integer seconds, then {@code <int>d}, then a Go duration. */
    private static long textToSeconds(String s) throws GoParseException {
        if (s.isEmpty()) {
            return 0;
        }
        if (isDecimalInteger(s)) {
            long seconds;
            try {
                seconds = GoStrconv.parseInt(s, 10);
            } catch (GoParseException outOfRange) {
                throw invalid(s);
            }
            return checkedSeconds(seconds, s);
        }
        if (s.endsWith("d")) {
            // Vault returns strconv's error as it is here ("strconv.ParseInt: parsing ...").
            long days = GoStrconv.parseInt(s.substring(0, s.length() - 1), 10);
            if (Math.abs(days) > MAX_SECONDS / SECONDS_PER_DAY) {
                throw invalid(s);
            }
            return days * SECONDS_PER_DAY;
        }
        return goSeconds(parseGoDuration(s));
    }

    /** What strconv.ParseInt(s, 10, 64) accepts syntactically: a sign, then ASCII digits only. */
    private static boolean isDecimalInteger(String s) {
        int start = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        if (start == s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long checkedSeconds(long seconds, String text) throws GoParseException {
        if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS) {
            throw invalid(text);
        }
        return seconds;
    }

    /** Vault's {@code int(d.Seconds())}: a float64 sum, truncated toward zero. */
    private static long goSeconds(long nanos) {
        long seconds = nanos / NANOS_PER_SECOND;
        long rest = nanos % NANOS_PER_SECOND;
        return (long) (seconds + rest / 1e9);
    }

    /**
     * Go's {@code time.ParseDuration}: {@code [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+}, or a lone
     * {@code 0}; units ns, us, µs, μs, ms, s, m, h.
     *
     * @return nanoseconds
     * @throws GoParseException with Go's message, e.g. {@code time: invalid duration "x"}
     */
    public static long parseGoDuration(String s) throws GoParseException {
        if (s == null) {
            throw invalid("");
        }
        int p = 0;
        int n = s.length();
        boolean negative = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            p = 1;
        }
        if (s.length() - p == 1 && s.charAt(p) == '0') {
            return 0;
        }
        if (p == n) {
            throw invalid(s);
        }
        long total = 0; // all magnitudes here are unsigned and at most 1<<63
        while (p < n) {
            char c = s.charAt(p);
            if (c != '.' && !isDigit(c)) {
                throw invalid(s);
            }
            int start = p;
            long whole = 0;
            while (p < n && isDigit(s.charAt(p))) {
                if (Long.compareUnsigned(whole, Long.divideUnsigned(MAGNITUDE_LIMIT, 10)) > 0) {
                    throw invalid(s);
                }
                whole = whole * 10 + (s.charAt(p) - '0');
                if (Long.compareUnsigned(whole, MAGNITUDE_LIMIT) > 0) {
                    throw invalid(s);
                }
                p++;
            }
            boolean hasWhole = p != start;
            long fraction = 0;
            double scale = 1;
            boolean hasFraction = false;
            if (p < n && s.charAt(p) == '.') {
                p++;
                int fractionStart = p;
                boolean saturated = false; // past 63 bits, further digits only count as present
                while (p < n && isDigit(s.charAt(p))) {
                    if (!saturated) {
                        long next = fraction * 10 + (s.charAt(p) - '0');
                        if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0
                                || Long.compareUnsigned(next, MAGNITUDE_LIMIT) > 0) {
                            saturated = true;
                        } else {
                            fraction = next;
                            scale *= 10;
                        }
                    }
                    p++;
                }
                hasFraction = p != fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw invalid(s);
            }
            int unitStart = p;
            while (p < n && s.charAt(p) != '.' && !isDigit(s.charAt(p))) {
                p++;
            }
            if (p == unitStart) {
                throw new GoParseException("time: missing unit in duration " + quote(s));
            }
            String unitName = s.substring(unitStart, p);
            Long unit = UNITS.get(unitName);
            if (unit == null) {
                throw new GoParseException(
                        "time: unknown unit " + quote(unitName) + " in duration " + quote(s));
            }
            if (Long.compareUnsigned(whole, Long.divideUnsigned(MAGNITUDE_LIMIT, unit)) > 0) {
                throw invalid(s);
            }
            long value = whole * unit;
            if (fraction != 0) {
                // float64 keeps fractions of an hour nanosecond-accurate, as in Go.
                value += (long) (unsignedToDouble(fraction) * (unit / scale));
                if (Long.compareUnsigned(value, MAGNITUDE_LIMIT) > 0) {
                    throw invalid(s);
                }
            }
            total += value;
            if (Long.compareUnsigned(total, MAGNITUDE_LIMIT) > 0) {
                throw invalid(s);
            }
        }
        if (negative) {
            return -total;
        }
        if (total < 0) { // exactly 1<<63 only fits when negative
            throw invalid(s);
        }
        return total;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static double unsignedToDouble(long value) {
        return value >= 0 ? value : ((value >>> 1) | (value & 1)) * 2.0;
    }

    private static GoParseException invalid(String s) {
        return new GoParseException("time: invalid duration " + quote(s));
    }

    /**
     * The time package's own quoting (not strconv.Quote): non-ASCII and control characters
     * become {@code \xNN} per UTF-8 byte; quotes and backslashes are escaped.
     */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            if (cp >= 0x80 || cp < ' ') {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append(String.format("\\x%02x", b & 0xff));
                }
            } else {
                if (cp == '"' || cp == '\\') {
                    out.append('\\');
                }
                out.append((char) cp);
            }
        });
        return out.append('"').toString();
    }
}
