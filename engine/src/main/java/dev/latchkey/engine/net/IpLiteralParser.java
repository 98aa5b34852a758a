package dev.latchkey.engine.net;

import java.util.Arrays;

/**
 * Parses IP literals by the rules of Go's {@code net.ParseIP} (which since Go 1.22 delegates to
 * {@code netip.ParseAddr} and then refuses zones). Pure text processing: never any DNS.
 */
final class IpLiteralParser {
    private IpLiteralParser() {
    }

    /**
     * Returns 4 bytes for an IPv4 literal, 16 bytes for an IPv6 literal, or null when the text is
     * not an IP literal. The length matters to CIDR parsing, which sizes the mask by it.
     */
    static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        // Like netip.ParseAddr, the first '.' or ':' decides which grammar applies.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                byte[] out = new byte[4];
                return parseV4Fields(text, 0, text.length(), out, 0) ? out : null;
            }
            if (c == ':') {
                return parseV6(text);
            }
            if (c == '%') {
                return null;
            }
        }
        return null;
    }

    /**
     * Parses a dotted quad from {@code s[from, to)} into {@code out[off, off + 4)}. Exactly four
     * decimal fields, each 0-255, without leading zeros (Go 1.17+ rejects them as ambiguous).
     */
    private static boolean parseV4Fields(String s, int from, int to, byte[] out, int off) {
        int value = 0;
        int field = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return false;
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else if (c == '.') {
                if (i == from || i == to - 1 || s.charAt(i - 1) == '.' || field == 3) {
                    return false;
                }
                out[off + field++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        if (field < 3) {
            return false;
        }
        out[off + 3] = (byte) value;
        return true;
    }

    private static byte[] parseV6(String s) {
        if (s.indexOf('%') >= 0) {
            return null; // a zone makes it an address with zone, which net.ParseIP refuses
        }
        byte[] ip = new byte[16];
        int n = s.length();
        int p = 0;
        int ellipsis = -1; // byte offset where "::" stands
        if (n >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            ellipsis = 0;
            p = 2;
            if (p == n) {
                return ip;
            }
        }
        int i = 0;
        while (i < 16) {
            int digits = 0;
            int acc = 0;
            while (p + digits < n) {
                int h = hexValue(s.charAt(p + digits));
                if (h < 0) {
                    break;
                }
                if (digits == 4) {
                    return null; // at most 4 hex digits per group, leading zeros included
                }
                acc = (acc << 4) | h;
                digits++;
            }
            if (digits == 0) {
                return null;
            }
            if (p + digits < n && s.charAt(p + digits) == '.') {
                // An embedded IPv4 tail must end the address and fill the last 4 bytes
                // (or sit after a "::" that absorbs the difference).
                if ((ellipsis < 0 && i != 12) || i + 4 > 16) {
                    return null;
                }
                if (!parseV4Fields(s, p, n, ip, i)) {
                    return null;
                }
                p = n;
                i += 4;
                break;
            }
            ip[i] = (byte) (acc >> 8);
            ip[i + 1] = (byte) acc;
            i += 2;
            p += digits;
            if (p == n) {
                break;
            }
            if (s.charAt(p) != ':' || p + 1 == n) {
                return null;
            }
            p++;
            if (s.charAt(p) == ':') {
                if (ellipsis >= 0) {
                    return null; // only one "::"
                }
                ellipsis = i;
                p++;
                if (p == n) {
                    break;
                }
            }
        }
        if (p != n) {
            return null;
        }
        if (i < 16) {
            if (ellipsis < 0) {
                return null;
            }
            int shift = 16 - i;
            System.arraycopy(ip, ellipsis, ip, ellipsis + shift, i - ellipsis);
            Arrays.fill(ip, ellipsis, ellipsis + shift, (byte) 0);
        } else if (ellipsis >= 0) {
            return null; // "::" must stand for at least one zero group
        }
        return ip;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
