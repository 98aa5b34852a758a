package dev.latchkey.engine.net;

import java.util.Arrays;

/**
 * A network parsed like Go's {@code net.ParseCIDR} that matches like {@code net.IPNet.Contains}.
 * Go keeps the network address and mask at the literal's length (4 bytes for an IPv4 literal,
 * 16 for IPv6) and, when matching, treats any network whose address is IPv4-mapped as IPv4:
 * so {@code ::ffff:0:0/96} holds every IPv4 address while {@code ::/0} holds none.
 */
public final class Cidr {
    /** Go's dtoi gives up at this value; anything that large is out of range anyway. */
    private static final int DTOI_LIMIT = 0xFFFFFF;

    private final String text;
    /** Go's networkNumberAndMask: the network number and mask as compared, both 4 or 16 bytes. */
    private final byte[] network;
    private final byte[] mask;

    private Cidr(String text, byte[] network, byte[] mask) {
        this.text = text;
        this.network = network;
        this.mask = mask;
    }

    /**
     * Parses {@code address/prefix}. No trimming: surrounding spaces make it invalid, as in Go.
     *
     * @throws IllegalArgumentException {@code invalid CIDR address: <text>}
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw invalid(null);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw invalid(text);
        }
        byte[] literal = IpLiteralParser.parse(text.substring(0, slash));
        if (literal == null) {
            throw invalid(text);
        }
        int prefix = prefixLength(text, slash + 1);
        if (prefix < 0 || prefix > literal.length * 8) {
            throw invalid(text);
        }
        byte[] fullMask = maskOf(prefix, literal.length);
        byte[] address = new byte[literal.length];
        for (int i = 0; i < address.length; i++) {
            address[i] = (byte) (literal[i] & fullMask[i]);
        }
        // A 16-byte network whose masked address is IPv4-mapped matches as IPv4, with the
        // last 4 bytes of its mask.
        byte[] v4 = IpAddress.to4(address);
        if (v4 != null && address.length == 16) {
            return new Cidr(text, v4, Arrays.copyOfRange(fullMask, 12, 16));
        }
        return new Cidr(text, address, fullMask);
    }

    /** Go's dtoi over the whole rest of the text: decimal digits only, leading zeros allowed. */
    private static int prefixLength(String text, int from) {
        if (from == text.length()) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
            if (n >= DTOI_LIMIT) {
                return -1;
            }
        }
        return n;
    }

    private static byte[] maskOf(int ones, int length) {
        byte[] mask = new byte[length];
        for (int i = 0; i < length; i++) {
            int bits = Math.min(8, Math.max(0, ones - 8 * i));
            mask[i] = (byte) (0xff00 >> bits);
        }
        return mask;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid CIDR address: " + text);
    }

    /** Go's {@code IPNet.Contains}: an IPv4 (or IPv4-mapped) address only matches IPv4 networks. */
    public boolean contains(IpAddress ip) {
        byte[] candidate = ip.comparable();
        if (candidate.length != network.length) {
            return false;
        }
        for (int i = 0; i < candidate.length; i++) {
            if ((candidate[i] & mask[i]) != (network[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    /** The text as given to {@link #parse}. */
    @Override
    public String toString() {
        return text;
    }
}
