package io.conclave.http.internal.filter;

import io.conclave.http.internal.GoText;

/** Go's {@code strconv.ParseInt(s, 0, 64)}: a sign, a base prefix ({@code 0x}, {@code 0o}, {@code 0b}, or a leading {@code 0} for octal), underscores between digits. */
final class GoInts {

    private GoInts() {
    }

    static Long parseInt(String s) {
        String body = s;
        boolean neg = false;
        if (body.startsWith("+") || body.startsWith("-")) {
            neg = body.charAt(0) == '-';
            body = body.substring(1);
        }
        int base = 10;
        boolean prefixed = false;
        if (body.length() > 1 && body.charAt(0) == '0') {
            char b = Character.toLowerCase(body.charAt(1));
            if (b == 'x' || b == 'o' || b == 'b') {
                base = b == 'x' ? 16 : b == 'o' ? 8 : 2;
                body = body.substring(2);
                prefixed = true;
            } else {
                base = 8;
                body = body.substring(1);
                prefixed = true;
            }
        }
        if (body.isEmpty() && !(prefixed && base == 8)) {
            throw syntax(s);
        }
        // Underscores only with base 0 and only between digits (or after the prefix), as Go's underscoreOK.
        if (body.contains("_")) {
            if (body.startsWith("_") && !prefixed || body.endsWith("_") || body.contains("__")) {
                throw syntax(s);
            }
            body = body.replace("_", "");
        }
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        for (int i = 0; i < body.length(); i++) {
            int d = Character.digit(body.charAt(i), base);
            if (d < 0 || body.charAt(i) > 0x7f) {
                throw syntax(s);
            }
            v = v.multiply(java.math.BigInteger.valueOf(base)).add(java.math.BigInteger.valueOf(d));
        }
        if (neg) {
            v = v.negate();
        }
        if (v.bitLength() > 63) {
            throw new NumberFormatException("strconv.ParseInt: parsing " + GoText.quote(s) + ": value out of range");
        }
        return v.longValue();
    }

    private static NumberFormatException syntax(String s) {
        return new NumberFormatException("strconv.ParseInt: parsing " + GoText.quote(s) + ": invalid syntax");
    }
}
