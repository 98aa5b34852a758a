package dev.latchkey.api.http;

import dev.latchkey.api.config.JsonLimits;
import dev.latchkey.engine.framework.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The JSON limits at their edges: each shape is built at the limit (accepted) and one past it
 * (refused with Vault's message), under small limits so the table runs in milliseconds; the default
 * limits are checked once with bodies of the size an attacker would send.
 */
class LimitedJsonReaderTest {
    private static final JsonLimits SMALL = new JsonLimits(5, 16, 8, 8, 40);
    private static final LimitedJsonReader READER = new LimitedJsonReader(SMALL);

    /** Shapes of body, each a function of the size that a limit bounds. */
    private static final Map<String, IntFunction<String>> SHAPES = Map.of(
            "depth", n -> "[".repeat(n) + "]".repeat(n),
            "objectDepth", n -> "{\"a\":".repeat(n - 1) + "{}" + "}".repeat(n - 1),
            "string", n -> "{\"k\":\"" + "é".repeat(n) + "\"}",
            "key", n -> "{\"" + "k".repeat(n) + "\":1}",
            "entries", n -> "{" + IntStream.range(0, n).mapToObj(i -> "\"k" + i + "\":" + i)
                    .collect(Collectors.joining(",")) + "}",
            "elements", n -> "{\"a\":[" + "1,".repeat(n).replaceAll(",$", "") + "]}",
            // n members of seven-element arrays: 1 + 8n values, each container within its own limit
            "values", n -> "{" + IntStream.range(0, n).mapToObj(i -> "\"k" + i + "\":[1,2,3,4,5,6,7]")
                    .collect(Collectors.joining(",")) + "}");

    @ParameterizedTest(name = "{0}: {1} passes, {2} is refused with \"{3}\"")
    @CsvSource(delimiter = '|', textBlock = """
            depth       | 5  | 6  | JSON input exceeds allowed nesting depth
            objectDepth | 5  | 6  | JSON input exceeds allowed nesting depth
            string      | 16 | 17 | JSON string value exceeds allowed length
            key         | 16 | 17 | JSON string value exceeds allowed length
            entries     | 8  | 9  | JSON object exceeds allowed entry count
            elements    | 8  | 9  | JSON array exceeds allowed element count
            values      | 4  | 5  | JSON input exceeds the allowed number of values
            """)
    void eachLimitHoldsAtItsEdge(String shape, int atLimit, int past, String message) {
        READER.read(bytes(SHAPES.get(shape).apply(atLimit)));
        EngineException e = assertThrows(EngineException.class, () -> READER.read(bytes(SHAPES.get(shape).apply(past))));
        assertEquals(EngineException.Kind.USER, e.kind());
        assertEquals(message, e.getMessage());
    }

    /**
     * The streaming check on the same shapes, fed in slices of one byte, seven bytes and whole, so
     * that every state survives a slice boundary: it refuses exactly where the parser does. A string
     * is counted in UTF-8 bytes, as Vault counts it, with an escape as one byte.
     */
    @ParameterizedTest(name = "{0} in slices of {4}: {1} passes, {2} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            depth       | 5  | 6  | JSON input exceeds allowed nesting depth         | 1
            depth       | 5  | 6  | JSON input exceeds allowed nesting depth         | 7
            objectDepth | 5  | 6  | JSON input exceeds allowed nesting depth         | 1
            asciiString | 16 | 17 | JSON string value exceeds allowed length         | 1
            escapes     | 16 | 17 | JSON string value exceeds allowed length         | 1
            escapes     | 16 | 17 | JSON string value exceeds allowed length         | 7
            utf8String  | 8  | 9  | JSON string value exceeds allowed length         | 3
            key         | 16 | 17 | JSON string value exceeds allowed length         | 7
            entries     | 8  | 9  | JSON object exceeds allowed entry count          | 1
            entries     | 8  | 9  | JSON object exceeds allowed entry count          | 1000
            elements    | 8  | 9  | JSON array exceeds allowed element count         | 1
            elements    | 8  | 9  | JSON array exceeds allowed element count         | 7
            values      | 4  | 5  | JSON input exceeds the allowed number of values  | 1
            values      | 4  | 5  | JSON input exceeds the allowed number of values  | 1000
            """)
    void theStreamingCheckRefusesWhereTheParserDoes(String shape, int atLimit, int past, String message, int slice) {
        assertEquals(null, scan(SCANNED.get(shape).apply(atLimit), slice));
        assertEquals(message, scan(SCANNED.get(shape).apply(past), slice));
    }

    /** Brackets, commas and quotes inside strings are text, not structure. */
    @Test
    void theStreamingCheckLooksThroughStrings() {
        String tricky = "{\"a\":\"[[[[[[[[,,,,,,,,,,{{{{{{{{\\\"\",\"b\":[\"]]]]\",\"\\\\\",\"x\"]}";
        JsonLimits roomyStrings = new JsonLimits(2, 100, 8, 8, 40);
        new LimitedJsonReader(roomyStrings).read(bytes(tricky));
        assertEquals(null, scan(tricky, 1, roomyStrings));
    }

    private static String scan(String body, int slice) {
        return scan(body, slice, SMALL);
    }

    private static String scan(String body, int slice, JsonLimits limits) {
        JsonLimitScanner scanner = new JsonLimitScanner(limits);
        byte[] b = bytes(body);
        String broken = null;
        for (int off = 0; off < b.length && broken == null; off += slice) {
            broken = scanner.feed(b, off, Math.min(slice, b.length - off));
        }
        return broken;
    }

    private static final Map<String, IntFunction<String>> SCANNED = Map.of(
            "depth", SHAPES.get("depth"), "objectDepth", SHAPES.get("objectDepth"), "key", SHAPES.get("key"),
            "entries", SHAPES.get("entries"), "elements", SHAPES.get("elements"), "values", SHAPES.get("values"),
            "asciiString", n -> "{\"k\":\"" + "a".repeat(n) + "\"}",
            "escapes", n -> "{\"k\":\"" + "\\n\\u00e9".repeat(n / 2) + "\\\"".repeat(n % 2) + "\"}",
            "utf8String", n -> "{\"k\":\"" + "é".repeat(n) + "\"}");

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {}x
            {} {}
            {"a":1,}
            {"a":NaN}
            {"a":1e2147483648}
            ''
            {"a":01}
            """)
    void malformedBodiesAreRefusedAsParseErrors(String body) {
        EngineException e = assertThrows(EngineException.class, () -> READER.read(bytes(body.equals("''") ? "" : body)));
        assertEquals("error parsing JSON", e.getMessage());
    }

    @Test
    void numbersStayExactAndRepeatedKeysKeepTheLastValue() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) new LimitedJsonReader(JsonLimits.VAULT).read(bytes(
                "{\"i\":7,\"l\":9000000000,\"b\":123456789012345678901234,\"d\":22.0,\"e\":1e2000000000,\"i\":8}"));
        assertEquals(Map.of("i", 8, "l", 9_000_000_000L, "b", new BigInteger("123456789012345678901234"),
                "d", new BigDecimal("22.0"), "e", new BigDecimal("1e2000000000")), new LinkedHashMap<>(m));
        assertEquals(List.of("i", "l", "b", "d", "e"), List.copyOf(m.keySet()));
    }

    @Test
    void vaultsDefaultsStopAnAttackersBodyEarly() {
        LimitedJsonReader vault = new LimitedJsonReader(JsonLimits.VAULT);
        String manyKeys = SHAPES.get("entries").apply(200_000);
        assertEquals("JSON object exceeds allowed entry count",
                assertThrows(EngineException.class, () -> vault.read(bytes(manyKeys))).getMessage());
        assertEquals("JSON input exceeds allowed nesting depth",
                assertThrows(EngineException.class, () -> vault.read(bytes(SHAPES.get("depth").apply(100_000))))
                        .getMessage());
        char[] big = new char[2 * 1024 * 1024];
        Arrays.fill(big, 'a');
        assertEquals("JSON string value exceeds allowed length",
                assertThrows(EngineException.class, () -> vault.read(bytes("{\"otp\":\"" + new String(big) + "\"}")))
                        .getMessage());
        // many small arrays, each within the per-array limit, still add up to too many values
        String manyArrays = "[" + ("[" + "1,".repeat(9_999) + "1],").repeat(60).replaceAll(",$", "") + "]";
        assertEquals("JSON input exceeds the allowed number of values",
                assertThrows(EngineException.class, () -> vault.read(bytes(manyArrays))).getMessage());
        assertInstanceOf(Map.class, vault.read(bytes(SHAPES.get("entries").apply(10_000))));
    }

    @Test
    void theBodyParserRefusesInvalidUtf8BeforeParsing() {
        BodyParser parser = new BodyParser(SMALL);
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertEquals("error parsing JSON",
                assertThrows(EngineException.class, () -> parser.parse(overlong, "application/json")).getMessage());
        // valid UTF-8 bytes that Jackson would otherwise take for UTF-16 or a byte-order mark
        for (byte[] body : List.of("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_16BE), bytes("\uFEFF{\"a\":1}"))) {
            assertEquals("error parsing JSON",
                    assertThrows(EngineException.class, () -> parser.parse(body, "application/json")).getMessage());
        }
        assertEquals(Map.of("a", "é"), parser.parse(bytes("{\"a\":\"é\"}"), null));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
