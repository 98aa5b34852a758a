package dev.latchkey.engine.framework;

import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.gocompat.GoParseException;
import dev.latchkey.engine.gocompat.GoStrconv;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Vault's weak field conversion (its {@code framework.FieldData}, through {@code mapstructure}'s
 * weakly typed decoding) over the raw values a JSON body or a form yields:
 * String, Boolean, Integer, Long, BigInteger, BigDecimal, Double, List, Map or null. Numbers
 * reach Vault as JSON number text, so integer parsing works on the number's text.
 */
public final class FieldConverter {
    private FieldConverter() {
    }

    /**
     * Converts {@code raw} to the Java form of {@code type}: String, Long, Boolean, Long seconds,
     * Map&lt;String,Object&gt;, Map&lt;String,String&gt; or List&lt;String&gt; (collections are
     * unmodifiable copies).
     *
     * @throws FieldConversionException when the value does not convert; never anything else
     */
    public static Object convert(FieldType type, Object raw) throws FieldConversionException {
        Objects.requireNonNull(type, "type");
        return switch (type) {
            case STRING -> toText(raw);
            case INT -> toInt(raw);
            case BOOL -> toBool(raw);
            case DURATION -> seconds(raw);
            case MAP -> toMap(raw);
            case STRING_MAP -> toStringMap(raw);
            case COMMA_STRING_SLICE -> toCommaSlice(raw);
        };
    }

    private static long seconds(Object raw) throws FieldConversionException {
        try {
            return Durations.parseSeconds(raw);
        } catch (GoParseException e) {
            throw new FieldConversionException(e.getMessage());
        }
    }

    /** Any scalar as text; null gives "". */
    private static String toText(Object raw) throws FieldConversionException {
        if (raw == null) {
            return "";
        }
        if (raw instanceof String s) {
            return s;
        }
        if (raw instanceof Boolean b) {
            return b ? "1" : "0"; // Vault decodes weakly (mapstructure): a bool becomes "1" or "0"
        }
        if (GoFormat.isIntegral(raw)) {
            return raw.toString();
        }
        if (raw instanceof BigDecimal d) {
            // Vault keeps a JSON number's text as written: 22.0 stays "22.0". Written out, an absurd
            // exponent (1e2000000000) would be gigabytes; such a number is no value a string field holds.
            if (!GoFormat.hasBoundedPlainForm(d)) {
                throw new FieldConversionException("exponent out of range for a string");
            }
            return d.toPlainString();
        }
        if (raw instanceof Double || raw instanceof Float) {
            return GoFormat.formatFloat(((Number) raw).doubleValue(), 'f');
        }
        throw expected("a string", raw);
    }

    private static long toInt(Object raw) throws FieldConversionException {
        if (raw == null) {
            return 0;
        }
        if (raw instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        // Other numbers go through ParseInt of their text, as Vault's json.Number does: too big
        // is "value out of range", a decimal point or exponent is "invalid syntax".
        String text;
        if (raw instanceof String s) {
            text = s.isEmpty() ? "0" : s;
        } else if (raw instanceof BigInteger || raw instanceof BigDecimal
                || raw instanceof Double || raw instanceof Float) {
            text = raw.toString();
        } else {
            throw expected("an int", raw);
        }
        try {
            return GoStrconv.parseInt(text, 0);
        } catch (GoParseException e) {
            throw new FieldConversionException("cannot parse '" + raw + "' as int: " + e.getMessage());
        }
    }

    private static boolean toBool(Object raw) throws FieldConversionException {
        if (raw == null) {
            return false;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        if (GoFormat.isIntegral(raw) || raw instanceof BigDecimal) {
            // JSON numbers reach Vault as json.Number text, which ParseBool reads: only 1 and 0 pass.
            // A decimal too far from its digits to write out is neither, and fails on its short form.
            String text = raw instanceof BigDecimal d
                    ? (GoFormat.hasBoundedPlainForm(d) ? d.toPlainString() : d.toString())
                    : raw.toString();
            try {
                return GoStrconv.parseBool(text);
            } catch (GoParseException e) {
                throw new FieldConversionException("cannot parse '" + text + "' as bool: " + e.getMessage());
            }
        }
        if (raw instanceof Double || raw instanceof Float) {
            return ((Number) raw).doubleValue() != 0; // only for callers passing Java doubles directly
        }
        if (raw instanceof String s) {
            if (s.isEmpty()) {
                return false;
            }
            try {
                return GoStrconv.parseBool(s);
            } catch (GoParseException e) {
                throw new FieldConversionException("cannot parse '" + s + "' as bool: " + e.getMessage());
            }
        }
        throw expected("a bool", raw);
    }

    private static Map<String, Object> toMap(Object raw) throws FieldConversionException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (raw != null) {
            for (Map.Entry<?, ?> entry : asMap(raw).entrySet()) {
                out.put(String.valueOf(entry.getKey()), entry.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Values become text with Go's %v, as Vault formats extensions and critical options. */
    private static Map<String, String> toStringMap(Object raw) throws FieldConversionException {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (Map.Entry<?, ?> entry : asMap(raw).entrySet()) {
                out.put(String.valueOf(entry.getKey()), GoFormat.v(entry.getValue()));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<?, ?> asMap(Object raw) throws FieldConversionException {
        if (raw instanceof Map<?, ?> map) {
            return map;
        }
        throw expected("a map", raw);
    }

    /** Items are stripped and empty ones dropped, whether they came as an array or one string. */
    private static List<String> toCommaSlice(Object raw) throws FieldConversionException {
        List<String> out = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object element : list) {
                addItem(out, toText(element));
            }
        } else if (raw instanceof String s) {
            for (String part : s.split(",", -1)) {
                addItem(out, part);
            }
        } else if (raw != null) {
            if (raw instanceof Map) {
                throw expected("a list or string", raw);
            }
            addItem(out, toText(raw));
        }
        return Collections.unmodifiableList(out);
    }

    private static void addItem(List<String> out, String item) {
        String stripped = item.strip();
        if (!stripped.isEmpty()) {
            out.add(stripped);
        }
    }

    private static FieldConversionException expected(String what, Object raw) {
        return new FieldConversionException("expected " + what + ", got '" + GoFormat.kind(raw) + "'");
    }
}
