package dev.latchkey.engine.net;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IP literal with Go {@code net.IP} semantics: always 16 bytes, IPv4 held as IPv4-mapped
 * IPv6 ({@code ::ffff:a.b.c.d}), so {@code 10.0.0.5} and {@code ::ffff:10.0.0.5} are equal and
 * print alike. Parsing never resolves names.
 */
public final class IpAddress {
    private static final int LENGTH = 16;

    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** What Go's {@code net.ParseIP} accepts, or empty (also for null). */
    public static Optional<IpAddress> parse(String text) {
        byte[] literal = IpLiteralParser.parse(text);
        if (literal == null) {
            return Optional.empty();
        }
        return Optional.of(new IpAddress(literal.length == 4 ? mapped(literal) : literal));
    }

    /** The IPv4-mapped 16-byte form of 4 IPv4 bytes. */
    static byte[] mapped(byte[] v4) {
        byte[] out = new byte[LENGTH];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    /**
     * Go's {@code IP.To4()}: the 4-byte form of a 4-byte or IPv4-mapped 16-byte address, else
     * null. Returns the array itself when it already has 4 bytes.
     */
    static byte[] to4(byte[] ip) {
        if (ip.length == 4) {
            return ip;
        }
        if (ip.length != LENGTH || (ip[10] & 0xff) != 0xff || (ip[11] & 0xff) != 0xff) {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return null;
            }
        }
        return Arrays.copyOfRange(ip, 12, 16);
    }

    /** Go's {@code To4() != nil}: IPv4, or IPv6 that is IPv4-mapped. */
    public boolean isIPv4() {
        return to4(bytes) != null;
    }

    /** A copy of the 16 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes containment compares: 4 for IPv4 (as Go's {@code Contains} reduces them), else 16. */
    byte[] comparable() {
        byte[] v4 = to4(bytes);
        return v4 != null ? v4 : bytes;
    }

    /** Go's {@code IP.String()}: dotted quad for IPv4 and IPv4-mapped, RFC 5952 hex otherwise. */
    @Override
    public String toString() {
        byte[] v4 = to4(bytes);
        if (v4 != null) {
            return (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // The longest run of two or more zero groups becomes "::"; the first one wins a tie.
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > runLength) {
                runStart = i;
                runLength = j - i;
            }
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                out.append("::");
                i += runLength - 1;
                continue;
            }
            if (i > 0 && i != runStart + runLength) {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpAddress that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
