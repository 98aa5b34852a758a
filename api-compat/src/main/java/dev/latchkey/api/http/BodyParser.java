package dev.latchkey.api.http;

import dev.latchkey.api.config.JsonLimits;
import dev.latchkey.engine.framework.EngineException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Request bodies into field maps as Vault reads them: JSON unless the content type says form and the body
 * does not start with {@code {} or {@code [}; an empty body has no fields.
 */
final class BodyParser {
    private final LimitedJsonReader json;

    BodyParser(JsonLimits limits) {
        this.json = new LimitedJsonReader(limits);
    }

    Map<String, Object> parse(byte[] body, String contentType) {
        int first = firstNonSpace(body);
        if (first < 0) {
            return new LinkedHashMap<>();
        }
        boolean form = contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                && body[first] != '{' && body[first] != '[';
        return form ? parseForm(body) : parseJson(body);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parseJson(byte[] body) {
        // strict UTF-8 first: Jackson alone lets overlong forms and encoded surrogates through, and
        // it reads a body with NUL bytes or a byte-order mark as UTF-16 or UTF-32, which Go never does
        if (!isStrictUtf8(body) || hasNulOrByteOrderMark(body)) {
            throw EngineException.user("error parsing JSON");
        }
        Object parsed = json.read(body);
        if (parsed == null) {
            return new LinkedHashMap<>();
        }
        if (!(parsed instanceof Map)) {
            throw EngineException.user("error parsing JSON");
        }
        return (Map<String, Object>) parsed;
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** JSON has no place for a raw NUL; a UTF-8 byte-order mark is text Go's decoder refuses. */
    private static boolean hasNulOrByteOrderMark(byte[] body) {
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            return true;
        }
        for (byte b : body) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Validates in slices, so that a large body is never copied whole into a second buffer. A body
     * of ASCII alone (every request a Vault client sends on the hot paths) is valid as it stands;
     * decoding it would cost each request a buffer of its own.
     */
    private static boolean isStrictUtf8(byte[] body) {
        if (isAscii(body)) {
            return true;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.min(8192, Math.max(16, body.length))); // a byte decodes to at most a char
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return false;
            }
            out.clear();
            if (r.isUnderflow()) {
                break;
            }
        }
        while (true) {
            CoderResult r = decoder.flush(out);
            if (r.isError()) {
                return false;
            }
            out.clear();
            if (r.isUnderflow()) {
                return true;
            }
        }
    }

    private static Map<String, Object> parseForm(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw EngineException.user("error parsing form data");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String pair : text.strip().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.merge(key, value, (a, b) -> a + "," + b);
        }
        return fields;
    }

    private static String decode(String s) {
        try {
            return PercentDecoder.decode(s.replace('+', ' '));
        } catch (IllegalArgumentException e) {
            throw EngineException.user("error parsing form data");
        }
    }

    private static int firstNonSpace(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                return i;
            }
        }
        return -1;
    }
}
