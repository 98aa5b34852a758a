package dev.latchkey.engine.gocompat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Go's {@code fmt} verbs Vault prints with: {@code %v} for decoded JSON values (in error messages,
 * and for map values it stores as text) and {@code %q} for strings.
 */
public final class GoFormat {
    /**
     * How far (in digits) a decimal's plain form may lie from its own digits. A JSON number's
     * exponent is a few bytes of input, but {@code 1e2000000000} written out is two billion
     * digits: this bound is the one rule every conversion of request numbers to text follows.
     */
    private static final int PLAIN_SCALE_LIMIT = 1000;
    /** Go's {@code sort.Strings} order: bytewise UTF-8, which is code-point order (not Java's UTF-16 order). */
    public static final Comparator<String> SORT_ORDER = GoFormat::compareCodePoints;

    private GoFormat() {
    }

    /**
     * Go's {@code %q} for a string, which is {@code strconv.Quote}: Vault quotes names and values in
     * its error messages this way.
     */
    public static String q(String s) {
        return GoStrconv.quote(s);
    }

    public static String v(Object value) {
        if (value == null) {
            return "<nil>";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return decimal(d);
        }
        if (value instanceof Double || value instanceof Float) {
            return formatFloat(((Number) value).doubleValue(), 'g');
        }
        if (value instanceof List<?> list) {
            StringJoiner out = new StringJoiner(" ", "[", "]");
            for (Object element : list) {
                out.add(v(element));
            }
            return out.toString();
        }
        if (value instanceof Map<?, ?> map) {
            // fmt prints map keys sorted (byte order of the UTF-8 text, i.e. code point order).
            record Pair(String key, String value) {
            }
            List<Pair> pairs = new ArrayList<>();
            map.forEach((k, val) -> pairs.add(new Pair(v(k), v(val))));
            pairs.sort((a, b) -> compareCodePoints(a.key(), b.key()));
            StringJoiner out = new StringJoiner(" ", "map[", "]");
            for (Pair pair : pairs) {
                out.add(pair.key() + ":" + pair.value());
            }
            return out.toString();
        }
        return String.valueOf(value); // Boolean, Integer, Long, BigInteger, ...
    }

    /**
     * A decimal as text: integral values without a fraction ({@code 22.0} gives {@code 22}),
     * others in plain notation ({@code 1.5}); absurd exponents stay scientific to bound the length.
     */
    public static String decimal(BigDecimal d) {
        if (!hasBoundedPlainForm(d)) {
            return d.toString();
        }
        if (d.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toBigInteger().toString() : d.toPlainString();
    }

    /**
     * Whether {@code d} can be written in plain notation at a cost bounded by its own digits: its
     * exponent lies within {@value #PLAIN_SCALE_LIMIT} of them. Beyond, {@link BigDecimal#toPlainString()}
     * (and anything that expands the exponent, such as {@code stripTrailingZeros().toBigInteger()})
     * would spend time and memory in proportion to the exponent, not to the request.
     */
    public static boolean hasBoundedPlainForm(BigDecimal d) {
        return d.scale() <= PLAIN_SCALE_LIMIT && d.scale() >= -PLAIN_SCALE_LIMIT;
    }

    /** Go's {@code %v} kind name of a decoded JSON value, for "expected ..., got '<kind>'" messages. */
    public static String kind(Object value) {
        if (value == null) {
            return "invalid";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (isIntegral(value)) {
            return "int";
        }
        if (value instanceof Number) {
            return "float64";
        }
        if (value instanceof List) {
            return "slice";
        }
        if (value instanceof Map) {
            return "map";
        }
        return value.getClass().getSimpleName();
    }

    public static boolean isIntegral(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger;
    }

    /**
     * Go's {@code strconv.FormatFloat(f, fmt, -1, 64)} for {@code fmt} 'f' or 'g': the shortest
     * digits that read back to the same double, in plain or (for 'g') %e notation.
     */
    public static String formatFloat(double f, char fmt) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        String sign = (Double.doubleToRawLongBits(f) < 0) ? "-" : "";
        if (f == 0) {
            return sign + "0";
        }
        // Double.toString gives the shortest round-trip digits (close enough on Java 17).
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - shortest.scale() - 1; // of the first digit
        if (fmt == 'g' && (exponent < -4 || exponent >= 6)) {
            StringBuilder out = new StringBuilder(sign).append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int magnitude = Math.abs(exponent);
            return out.append(exponent < 0 ? "e-" : "e+").append(magnitude < 10 ? "0" : "").append(magnitude)
                    .toString();
        }
        return sign + shortest.toPlainString();
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
