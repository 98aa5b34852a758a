package dev.latchkey.api.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** Query strings into fields: {@code +} is a space, repeated keys are joined with commas. */
final class QueryParser {
    private QueryParser() {
    }

    /** Throws IllegalArgumentException for malformed escapes. */
    static Map<String, Object> parse(String query) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = PercentDecoder.decode((eq < 0 ? pair : pair.substring(0, eq)).replace('+', ' '));
            String value = eq < 0 ? "" : PercentDecoder.decode(pair.substring(eq + 1).replace('+', ' '));
            out.merge(key, value, (a, b) -> a + "," + b);
        }
        return out;
    }
}
