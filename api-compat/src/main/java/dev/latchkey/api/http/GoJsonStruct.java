package dev.latchkey.api.http;

import dev.latchkey.engine.framework.EngineException;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A request body read the way Go's {@code encoding/json} fills a struct, for the few paths Vault
 * decodes that way instead of through its field framework ({@code sys/init}, {@code sys/unseal}):
 * keys match field names ignoring case, unknown keys are ignored, an empty body leaves every field
 * zero, and a value of the wrong JSON type is refused, never converted.
 */
final class GoJsonStruct {
    private final String struct;
    private final Map<String, Object> values;

    private GoJsonStruct(String struct, Map<String, Object> values) {
        this.struct = struct;
        this.values = values;
    }

    /** @param struct the Go struct's name, which Go's type errors quote */
    static GoJsonStruct parse(String struct, byte[] body, BodyParser parser) {
        Map<String, Object> values;
        try {
            values = parser.parse(body, "application/json");
        } catch (EngineException e) {
            throw EngineException.user("failed to parse JSON input: the body is not a JSON object");
        }
        return new GoJsonStruct(struct, values);
    }

    String string(String field) {
        Object v = value(field);
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(field, v, "string");
    }

    boolean bool(String field) {
        Object v = value(field);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(field, v, "bool");
    }

    /** A Go {@code int} field: 64 bits here. */
    long integer(String field) {
        Object v = value(field);
        if (v == null) {
            return 0;
        }
        if (v instanceof Integer || v instanceof Long || (v instanceof BigInteger b && b.bitLength() < 64)) {
            return ((Number) v).longValue();
        }
        throw wrongType(field, v, "int");
    }

    /** A Go {@code []string} field. */
    List<String> strings(String field) {
        Object v = value(field);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            for (Object item : list) {
                if (item != null && !(item instanceof String)) {
                    throw wrongType(field, item, "string");
                }
            }
            return list.stream().map(item -> item == null ? "" : (String) item).toList();
        }
        throw wrongType(field, v, "[]string");
    }

    /** Go picks the exact key first, then any key equal to the field name ignoring case. */
    private Object value(String field) {
        if (values.containsKey(field)) {
            return values.get(field);
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getKey().equalsIgnoreCase(field)) {
                return e.getValue();
            }
        }
        return null;
    }

    private EngineException wrongType(String field, Object value, String goType) {
        return EngineException.user("failed to parse JSON input: json: cannot unmarshal " + jsonKind(value, goType)
                + " into Go struct field " + struct + "." + field + " of type " + goType);
    }

    /**
     * How Go's decoder names a JSON value. Only a number bound for an integer field is named with
     * its text ({@code number 5.5}); anywhere else it is just {@code number}, so a secret sent as a
     * number (an unseal key) is never echoed.
     */
    private static String jsonKind(Object value, String goType) {
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Number) {
            return goType.equals("int") ? "number " + value : "number";
        }
        if (value instanceof List) {
            return "array";
        }
        return "object";
    }
}
