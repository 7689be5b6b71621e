package io.conclave.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A query string read as Go's {@code url.ParseQuery} reads it, because Consul's handlers test flags by
 * presence ({@code _, ok := query["recurse"]}) and take the first value ({@code query.Get}). JAX-RS
 * query parameters lose that distinction and decode differently, so resources use this instead.
 */
public final class GoQuery {

    /** The request attribute the routing filter stores the parsed query under. */
    public static final String ATTRIBUTE = GoQuery.class.getName();

    private static final GoQuery EMPTY = new GoQuery(Map.of());

    private final Map<String, List<String>> values;

    private GoQuery(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Parses a raw (still percent-encoded) query string.
     *
     * @throws HttpError 400 with Go's error text when a pair cannot be decoded (Consul itself answers
     *                   500 with an empty body there; a client error deserves a 4xx)
     */
    public static GoQuery parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        String error = null;
        int start = 0;
        while (start <= raw.length()) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? raw.length() : amp;
            String pair = raw.substring(start, end);
            start = end + 1;
            if (pair.indexOf(';') >= 0) {
                error = error == null ? "invalid semicolon separator in query" : error;
            } else if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String rawKey = eq < 0 ? pair : pair.substring(0, eq);
                String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    String key = unescape(rawKey);
                    String value = unescape(rawValue);
                    values.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
                } catch (IllegalArgumentException e) {
                    error = error == null ? e.getMessage() : error;
                }
            }
            if (amp < 0) {
                break;
            }
        }
        if (error != null) {
            throw new HttpError(400, error);
        }
        return new GoQuery(Collections.unmodifiableMap(values));
    }

    /** Go's {@code _, ok := query[name]}: true for {@code ?name}, {@code ?name=} and {@code ?name=x}. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Go's {@code query.Get(name)}: the first value, or {@code ""} when absent. */
    public String get(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    public Map<String, List<String>> asMap() {
        return values;
    }

    /** Go's {@code url.Values.Encode}: keys sorted, each pair query-escaped, joined by {@code &}. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : new TreeMap<>(values).entrySet()) {
            String key = escape(e.getKey());
            for (String v : e.getValue()) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(key).append('=').append(escape(v));
            }
        }
        return sb.toString();
    }

    /** Go's {@code url.QueryUnescape}: {@code +} is a space, {@code %XX} a byte. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%') {
                if (i + 2 >= bytes.length || hex(bytes[i + 1]) < 0 || hex(bytes[i + 2]) < 0) {
                    String bad = new String(bytes, i, Math.min(3, bytes.length - i), StandardCharsets.UTF_8);
                    throw new IllegalArgumentException("invalid URL escape " + GoText.quote(bad));
                }
                out.write(hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
                i += 2;
            } else if (b == '+') {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Go's {@code url.QueryEscape}. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        } else if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        } else if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
