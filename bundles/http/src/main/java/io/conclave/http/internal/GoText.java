package io.conclave.http.internal;

/**
 * The few Go library behaviours whose exact wording reaches Consul's clients: {@code strconv.ParseUint}
 * and its errors, and {@code strconv.Quote} (Go's {@code %q}).
 */
public final class GoText {

    private GoText() {
    }

    /**
     * {@code strconv.ParseUint(s, 10, 64)}: ASCII digits only (no sign, no spaces, no underscores), the
     * full unsigned 64-bit range, returned in a {@code long}'s two's-complement bits.
     *
     * @throws NumberFormatException with Go's message, e.g. {@code strconv.ParseUint: parsing "x": invalid syntax}
     */
    public static long parseUint(String s) {
        if (s.isEmpty()) {
            throw syntax(s);
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw syntax(s);
            }
            // n * 10 + d must stay below 2^64.
            if (Long.compareUnsigned(n, Long.divideUnsigned(-1L, 10)) > 0) {
                throw range(s);
            }
            long times10 = n * 10;
            long next = times10 + (c - '0');
            if (Long.compareUnsigned(next, times10) < 0) {
                throw range(s);
            }
            n = next;
        }
        return n;
    }

    private static NumberFormatException syntax(String s) {
        return new NumberFormatException("strconv.ParseUint: parsing " + quote(s) + ": invalid syntax");
    }

    private static NumberFormatException range(String s) {
        return new NumberFormatException("strconv.ParseUint: parsing " + quote(s) + ": value out of range");
    }

    /** {@code strconv.Quote}: double quotes, Go escapes for control characters, printable text kept. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 11 -> sb.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x7f || printable(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp <= 0xffff) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    private static boolean printable(int cp) {
        int type = Character.getType(cp);
        return Character.isDefined(cp) && type != Character.CONTROL && type != Character.FORMAT
                && type != Character.SURROGATE && type != Character.PRIVATE_USE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && (type != Character.SPACE_SEPARATOR || cp == ' ');
    }
}
