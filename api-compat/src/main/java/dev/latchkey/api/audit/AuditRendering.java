package dev.latchkey.api.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One audit entry as one device writes it, streamed straight to JSON: {@code time} first, then
 * every other key sorted, at every depth (as Go's encoder writes a map, and Vault since 1.15),
 * with what Vault hashes replaced by {@code hmac-sha256:<hex>} under the device's salt: client
 * tokens always; accessors unless {@code hmac_accessor=false}; every string in request and response
 * data (and every number a client sent, which Vault receives as text), except under the mount's
 * non-HMAC keys; nothing with {@code log_raw}. Lease IDs, paths, names, policies and metadata stay
 * in clear, as in Vault.
 *
 * <p>Every request writes two entries to every device, so this is on the hot path: it builds no
 * intermediate copy of the entry, and hashes a value met twice in one entry (the client token and
 * its accessor appear under both {@code auth} and {@code request}) once.
 */
final class AuditRendering {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** For the rare value that is not a map, list, text, number or boolean. */
    private static final ObjectMapper FALLBACK = new ObjectMapper();

    private AuditRendering() {
    }

    /**
     * Renders the entry into {@code line} (emptied first), followed by the line end. Each request
     * thread keeps one such buffer: two entries per request per device would otherwise each leave
     * a few kilobytes of garbage behind.
     */
    static void renderInto(Line line, Map<String, Object> raw, byte[] salt, AuditLog.Options o,
                           Set<String> nonHmacRequestKeys, Set<String> nonHmacResponseKeys) {
        line.reset();
        try (JsonGenerator g = FACTORY.createGenerator(line)) {
            new Writer(g, salt, o, nonHmacRequestKeys, nonHmacResponseKeys).entry(raw);
        } catch (IOException e) {
            throw new IllegalStateException("an audit entry could not be written as JSON", e);
        }
        line.write('\n');
    }

    /** A reusable output buffer whose bytes are handed to a device as they are. */
    static final class Line extends java.io.OutputStream {
        private byte[] buf = new byte[4096];
        private int count;

        void reset() {
            count = 0;
        }

        byte[] bytes() {
            return buf;
        }

        int length() {
            return count;
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }

    /** One entry's rendering: the generator, the device's terms, and the hashes made so far. */
    private static final class Writer {
        private final JsonGenerator g;
        private final byte[] salt;
        private final AuditLog.Options o;
        private final Set<String> requestClear;
        private final Set<String> responseClear;
        /** The last few values hashed and their hashes: tokens and accessors recur within an entry. */
        private final String[] seen = new String[4];
        private final byte[][] hashes = new byte[4][];
        private int next;

        Writer(JsonGenerator g, byte[] salt, AuditLog.Options o, Set<String> requestClear, Set<String> responseClear) {
            this.g = g;
            this.salt = salt;
            this.o = o;
            this.requestClear = requestClear;
            this.responseClear = responseClear;
        }

        void entry(Map<String, Object> raw) throws IOException {
            g.writeStartObject();
            Object time = raw.get("time");
            if (time != null) {
                g.writeFieldName("time");
                plain(time);
            }
            for (String key : sortedKeys(raw)) {
                Object v = raw.get(key);
                if (key.equals("time") || v == null) {
                    continue;
                }
                g.writeFieldName(key);
                if (o.logRaw() || !(v instanceof Map<?, ?> m)) {
                    plain(v);
                } else {
                    switch (key) {
                        case "auth" -> tokenFields(m, "client_token", "accessor", null);
                        case "request" -> tokenFields(m, "client_token", "client_token_accessor", requestClear);
                        case "response" -> response(m, raw);
                        default -> plain(v);
                    }
                }
            }
            g.writeEndObject();
        }

        /** A map holding a token and an accessor to hash, and (for a request) data. */
        private void tokenFields(Map<?, ?> m, String token, String accessor, Set<String> dataClear) throws IOException {
            g.writeStartObject();
            for (String key : sortedKeys(m)) {
                Object v = m.get(key);
                g.writeFieldName(key);
                if (key.equals(token) && v instanceof String t && !t.isEmpty()) {
                    hmac(t);
                } else if (key.equals(accessor) && o.hmacAccessor() && v instanceof String a && !a.isEmpty()) {
                    hmac(a);
                } else if (dataClear != null && key.equals("data") && v instanceof Map<?, ?>) {
                    data(v, dataClear, true);
                } else {
                    plain(v);
                }
            }
            g.writeEndObject();
        }

        private void response(Map<?, ?> m, Map<String, Object> entry) throws IOException {
            g.writeStartObject();
            for (String key : sortedKeys(m)) {
                Object v = m.get(key);
                g.writeFieldName(key);
                if (key.equals("auth") && v instanceof Map<?, ?> auth) {
                    tokenFields(auth, "client_token", "accessor", null);
                } else if (key.equals("data") && v instanceof Map<?, ?> d) {
                    data(elided(d, entry), responseClear, false);
                } else {
                    plain(v);
                }
            }
            g.writeEndObject();
        }

        /** Data: every string hashed (and every number, where a client sent it as text), but under the clear keys. */
        private void data(Object v, Set<String> clear, boolean numbersAreText) throws IOException {
            if (v instanceof Map<?, ?> m) {
                g.writeStartObject();
                for (String key : sortedKeys(m)) {
                    g.writeFieldName(key);
                    Object x = m.get(key);
                    if (clear.contains(key)) {
                        plain(x);
                    } else {
                        data(x, clear, numbersAreText);
                    }
                }
                g.writeEndObject();
            } else if (v instanceof Collection<?> c) {
                g.writeStartArray();
                for (Object x : c) {
                    data(x, clear, numbersAreText);
                }
                g.writeEndArray();
            } else if (v instanceof String s) {
                hmac(s);
            } else if (numbersAreText && v instanceof Number n) {
                hmac(String.valueOf(n));
            } else {
                plain(v);
            }
        }

        /** A value as it is, with every map's keys sorted. */
        private void plain(Object v) throws IOException {
            if (v == null) {
                g.writeNull();
            } else if (v instanceof String s) {
                g.writeString(s);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                g.writeNumber(((Number) v).longValue());
            } else if (v instanceof Double d) {
                g.writeNumber(d);
            } else if (v instanceof Float f) {
                g.writeNumber(f);
            } else if (v instanceof BigDecimal d) {
                g.writeNumber(d);
            } else if (v instanceof BigInteger i) {
                g.writeNumber(i);
            } else if (v instanceof Map<?, ?> m) {
                g.writeStartObject();
                for (String key : sortedKeys(m)) {
                    g.writeFieldName(key);
                    plain(m.get(key));
                }
                g.writeEndObject();
            } else if (v instanceof Collection<?> c) {
                g.writeStartArray();
                for (Object x : c) {
                    plain(x);
                }
                g.writeEndArray();
            } else {
                FALLBACK.writeValue(g, v);
            }
        }

        /** Writes the value's hash: ASCII hex, so it goes out as it is, without escaping. */
        private void hmac(String value) throws IOException {
            for (int i = 0; i < seen.length; i++) {
                if (value.equals(seen[i])) {
                    g.writeRawUTF8String(hashes[i], 0, hashes[i].length);
                    return;
                }
            }
            byte[] h = AuditLog.hmacBytes(salt, value);
            seen[next] = value;
            hashes[next] = h;
            next = (next + 1) % seen.length;
            g.writeRawUTF8String(h, 0, h.length);
        }

        /** A list's answer with {@code elide_list_responses}: its keys and key_info as their counts. */
        private Map<?, ?> elided(Map<?, ?> data, Map<String, Object> entry) {
            if (!o.elideListResponses() || !(entry.get("request") instanceof Map<?, ?> req)
                    || !"list".equals(req.get("operation"))) {
                return data;
            }
            Map<Object, Object> out = new LinkedHashMap<>(data);
            if (out.get("keys") instanceof List<?> keys) {
                out.put("keys", keys.size());
            }
            if (out.get("key_info") instanceof Map<?, ?> info) {
                out.put("key_info", info.size());
            }
            return out;
        }
    }

    /** A map's keys as text, sorted as Go sorts a map's keys (by bytes, which for these is by char). */
    private static List<String> sortedKeys(Map<?, ?> m) {
        List<String> keys = new ArrayList<>(m.size());
        boolean sorted = true;
        String last = null;
        for (Object k : m.keySet()) {
            String key = String.valueOf(k);
            sorted &= last == null || last.compareTo(key) < 0;
            keys.add(key);
            last = key;
        }
        if (!sorted) {
            keys.sort(null); // the entries' own maps are built in order; others (data) may not be
        }
        return keys;
    }
}
