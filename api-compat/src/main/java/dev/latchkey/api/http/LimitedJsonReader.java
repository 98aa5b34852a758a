package dev.latchkey.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.latchkey.api.config.JsonLimits;
import dev.latchkey.engine.framework.EngineException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON document into maps, lists, strings, numbers, booleans and nulls, refusing it as
 * soon as it breaks a {@link JsonLimits} bound: the tree is built from the token stream, so a body of
 * millions of keys costs the first ten thousand, not the millions. Numbers stay exact: integers as
 * Integer, Long or BigInteger, anything with a fraction or exponent as BigDecimal.
 *
 * <p>Vault answers a broken limit with 500; it is the request that is wrong, so this is a 400 with
 * Vault's message.
 */
final class LimitedJsonReader {
    private final JsonLimits limits;
    private final JsonFactory factory;

    LimitedJsonReader(JsonLimits limits) {
        this.limits = limits;
        // Jackson enforces the bounds it knows while it tokenises, before a long string or a deep
        // nest is ever materialised; entry and element counts are ours, below.
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxStringLength(limits.maxStringValueLength())
                        .maxNameLength(limits.maxStringValueLength())
                        .maxTokenCount(3L * limits.maxValues() + 3)
                        .build())
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
    }

    /** The document's value; the body must already be known to be valid UTF-8. */
    Object read(byte[] json) {
        try (JsonParser p = factory.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw syntax();
            }
            Object value = value(p, first, new int[]{0});
            if (p.nextToken() != null) {
                throw syntax(); // trailing garbage after the document
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw limitBroken(e);
        } catch (IOException | NumberFormatException | ArithmeticException e) {
            throw syntax();
        }
    }

    private Object value(JsonParser p, JsonToken token, int[] values) throws IOException {
        if (++values[0] > limits.maxValues()) {
            throw EngineException.user("JSON input exceeds the allowed number of values");
        }
        return switch (token) {
            case START_OBJECT -> object(p, values);
            case START_ARRAY -> array(p, values);
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw syntax();
        };
    }

    private Map<String, Object> object(JsonParser p, int[] values) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        int entries = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw syntax();
            }
            if (++entries > limits.maxObjectEntryCount()) {
                throw EngineException.user("JSON object exceeds allowed entry count");
            }
            String name = p.currentName();
            map.put(name, value(p, p.nextToken(), values)); // a repeated key keeps its last value, as Go's does
        }
        return map;
    }

    private List<Object> array(JsonParser p, int[] values) throws IOException {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (list.size() >= limits.maxArrayElementCount()) {
                throw EngineException.user("JSON array exceeds allowed element count");
            }
            list.add(value(p, t, values));
        }
        return list;
    }

    private static EngineException limitBroken(StreamConstraintsException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Document nesting depth")) {
            return EngineException.user("JSON input exceeds allowed nesting depth");
        }
        if (m.startsWith("String value length") || m.startsWith("Name length")) {
            return EngineException.user("JSON string value exceeds allowed length");
        }
        if (m.startsWith("Token count")) {
            return EngineException.user("JSON input exceeds the allowed number of values");
        }
        return syntax(); // number length and the like: not a number anyone sends on purpose
    }

    private static EngineException syntax() {
        return EngineException.user("error parsing JSON");
    }
}
