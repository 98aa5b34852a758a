package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.gocompat.GoFormat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A role's {@code allowed_user_key_lengths}: each key type maps to an integer, a list of integers,
 * or a comma-separated string of integers; stored and returned as lists.
 */
final class KeyLengths {
    private KeyLengths() {
    }

    static Map<String, List<Integer>> parse(Map<String, Object> raw) {
        Map<String, List<Integer>> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            List<Integer> lengths = new ArrayList<>();
            Object v = e.getValue();
            if (v instanceof List<?> list) {
                for (Object item : list) {
                    lengths.add(one(e.getKey(), item));
                }
            } else if (v instanceof String s) {
                for (String item : s.split(",")) {
                    if (!item.isBlank()) {
                        lengths.add(one(e.getKey(), item.strip()));
                    }
                }
            } else {
                lengths.add(one(e.getKey(), v));
            }
            out.put(e.getKey(), List.copyOf(lengths));
        }
        return out;
    }

    private static int one(String key, Object value) {
        try {
            if (value instanceof Integer || value instanceof Long) {
                return Math.toIntExact(((Number) value).longValue());
            }
            if (value instanceof BigInteger big) {
                return big.intValueExact(); // longValue() would wrap 2^64 + 2048 around to 2048
            }
            if (value instanceof BigDecimal d) {
                // refuses fractions and any exponent far from the digits without expanding it
                return d.intValueExact();
            }
            if (value instanceof String s) {
                return Integer.parseInt(s);
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // reported below
        }
        throw EngineException.user("error processing allowed_user_key_lengths: value " + GoFormat.v(value)
                + " for key " + key + " is not an integer key length");
    }
}
