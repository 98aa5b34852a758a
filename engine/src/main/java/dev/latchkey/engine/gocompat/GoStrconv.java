package dev.latchkey.engine.gocompat;

/** The parts of Go's {@code strconv} that Vault's wire behaviour relies on, with Go's error texts. */
public final class GoStrconv {
    private static final long MIN_MAGNITUDE = Long.MIN_VALUE; // 1<<63 read as unsigned

    private GoStrconv() {
    }

    /**
     * Go's {@code strconv.ParseInt(s, base, 64)} for base 10 or base 0 (base 0: sign, then an
     * optional {@code 0x}/{@code 0o}/{@code 0b}/{@code 0} prefix, and {@code _} separators).
     *
     * @throws GoParseException {@code strconv.ParseInt: parsing "<s>": invalid syntax}
     *                                  or {@code ... value out of range}
     */
    public static long parseInt(String s, int base) throws GoParseException {
        if (base != 0 && base != 10) {
            throw new IllegalArgumentException("unsupported base " + base);
        }
        if (s.isEmpty()) {
            throw syntaxError(s);
        }
        boolean negative = s.charAt(0) == '-';
        String unsigned = s.charAt(0) == '+' || negative ? s.substring(1) : s;
        long magnitude = parseUnsigned(unsigned, base, s);
        // The magnitude is unsigned: up to 1<<63 fits only when negative.
        int vsLimit = Long.compareUnsigned(magnitude, MIN_MAGNITUDE);
        if (negative ? vsLimit > 0 : vsLimit >= 0) {
            throw rangeError(s);
        }
        return negative ? -magnitude : magnitude;
    }

    /** Go's ParseUint with a 64-bit size; errors are reported against the signed original. */
    private static long parseUnsigned(String s, int base, String original) throws GoParseException {
        if (s.isEmpty()) {
            throw syntaxError(original);
        }
        boolean base0 = base == 0;
        String digits = s;
        if (base0) {
            base = 10;
            if (s.charAt(0) == '0') {
                char second = s.length() >= 3 ? lower(s.charAt(1)) : 0;
                switch (second) {
                    case 'b' -> base = 2;
                    case 'o' -> base = 8;
                    case 'x' -> base = 16;
                    default -> base = 8; // a bare leading 0 means octal
                }
                digits = s.substring(second == 'b' || second == 'o' || second == 'x' ? 2 : 1);
            }
        }
        long cutoff = Long.divideUnsigned(-1L, base) + 1; // the first value whose product overflows
        long n = 0;
        boolean underscores = false;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            int d;
            if (c == '_' && base0) {
                underscores = true;
                continue;
            } else if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (lower(c) >= 'a' && lower(c) <= 'z') {
                d = lower(c) - 'a' + 10;
            } else {
                throw syntaxError(original);
            }
            if (d >= base) {
                throw syntaxError(original);
            }
            if (Long.compareUnsigned(n, cutoff) >= 0) {
                throw rangeError(original);
            }
            n *= base;
            long next = n + d;
            if (Long.compareUnsigned(next, n) < 0) {
                throw rangeError(original);
            }
            n = next;
        }
        if (underscores && !underscoreOk(s)) {
            throw syntaxError(original);
        }
        return n;
    }

    /** Underscores may only separate digits, or a base prefix from a digit. */
    private static boolean underscoreOk(String s) {
        char saw = '^'; // '^' start, '0' digit or prefix, '_' underscore, '!' anything else
        int i = 0;
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0') {
            char second = lower(s.charAt(1));
            if (second == 'b' || second == 'o' || second == 'x') {
                i = 2;
                saw = '0';
                hex = second == 'x';
            }
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }

    /** Go's {@code lower}: ASCII letters fold to lower case, other characters are left alone. */
    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c;
    }

    /** Go's {@code strconv.ParseBool}. */
    public static boolean parseBool(String s) throws GoParseException {
        Boolean value = parseBoolOrNull(s);
        if (value == null) {
            throw new GoParseException("strconv.ParseBool: parsing " + quote(s) + ": invalid syntax");
        }
        return value;
    }

    /** Go's {@code strconv.ParseBool} for callers with their own error: null where Go fails. */
    public static Boolean parseBoolOrNull(String s) {
        return switch (s) {
            case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
            case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static GoParseException syntaxError(String s) {
        return new GoParseException("strconv.ParseInt: parsing " + quote(s) + ": invalid syntax");
    }

    private static GoParseException rangeError(String s) {
        return new GoParseException("strconv.ParseInt: parsing " + quote(s) + ": value out of range");
    }

    /** Go's {@code strconv.Quote}: printable characters kept, the rest escaped. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (isPrint(cp)) {
                        out.appendCodePoint(cp);
                    } else if (cp < 0x80) {
                        out.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.append(String.format("\\U%08x", cp));
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
