package dev.latchkey.engine.ssh.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Critical options and extensions of a certificate, encoded as OpenSSH and Go's x/crypto/ssh
 * do: entries sorted by name (byte order), each {@code string name, string data} where data is
 * empty for an empty value (flags such as {@code permit-pty}) and otherwise
 * {@code string value} (e.g. {@code force-command}).
 */
final class CertOptions {
    /** Byte order of the UTF-8 names: what Go's sort and OpenSSH's strcmp agree on. */
    private static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private CertOptions() {
    }

    /** A read-only copy in wire order; null values become empty. */
    static Map<String, String> sorted(Map<String, String> options) {
        TreeMap<String, String> sorted = new TreeMap<>(BYTE_ORDER);
        if (options != null) {
            options.forEach((k, v) -> sorted.put(k, v == null ? "" : v));
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    static byte[] encode(Map<String, String> sortedOptions) {
        SshWire.Writer w = SshWire.writer();
        sortedOptions.forEach((name, value) -> {
            w.utf8(name);
            w.string(value.isEmpty() ? new byte[0] : SshWire.writer().utf8(value).toByteArray());
        });
        return w.toByteArray();
    }

    /** Decodes and, as Go does, insists on strictly increasing names. */
    static Map<String, String> decode(byte[] data, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        SshWire.Reader r = SshWire.reader(data);
        String previous = null;
        while (r.hasRemaining()) {
            String name = r.utf8();
            byte[] raw = r.string();
            if (previous != null && BYTE_ORDER.compare(previous, name) >= 0) {
                throw new SshKeyException(what + " are not in lexical order");
            }
            previous = name;
            String value = "";
            if (raw.length > 0) {
                SshWire.Reader inner = SshWire.reader(raw);
                value = inner.utf8();
                inner.expectEnd(what + " value");
            }
            out.put(name, value);
        }
        return Collections.unmodifiableMap(out);
    }
}
