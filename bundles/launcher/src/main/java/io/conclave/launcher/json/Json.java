package io.conclave.launcher.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer, so the launcher needs nothing but the Felix framework.
 *
 * <p>Reading gives {@code Map<String,Object>} (insertion-ordered), {@code List<Object>},
 * {@code String}, {@code Long} (or {@code BigInteger} when it does not fit), {@code Double} for
 * numbers with a fraction or exponent, {@code Boolean} and {@code null}. Error messages follow Go's
 * {@code encoding/json}, since users compare our output with Consul's.
 *
 * <p>Writing accepts the same types plus any {@link Number}, {@link Collection}, array of
 * objects and {@link CharSequence}. {@link #writeIndented} is Go's {@code json.MarshalIndent}
 * (which is what {@code consul kv export} prints), including its HTML-safe escaping of
 * {@code < > &} and U+2028/U+2029.
 */
public final class Json {

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON value; anything but white space after it is an error. */
    public static Object parse(String text) throws JsonException {
        Json p = new Json(text);
        p.skipWhitespace();
        if (p.pos >= text.length()) {
            throw new JsonException("unexpected end of JSON input");
        }
        Object v = p.readValue();
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.invalid("after top-level value");
        }
        return v;
    }

    /** Compact JSON. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, value, null, "", true);
        return sb.toString();
    }

    /** Indented JSON, one member per line, as Go's {@code json.MarshalIndent(v, "", indent)}. */
    public static String writeIndented(Object value, String indent) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, value, indent, "", true);
        return sb.toString();
    }

    // ---------------------------------------------------------------- reading

    private Object readValue() throws JsonException {
        skipWhitespace();
        if (pos >= text.length()) {
            throw new JsonException("unexpected end of JSON input");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                return readLiteral("true", Boolean.TRUE);
            case 'f':
                return readLiteral("false", Boolean.FALSE);
            case 'n':
                return readLiteral("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw invalid("looking for beginning of value");
        }
    }

    private Map<String, Object> readObject() throws JsonException {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++; // {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw invalidOrEnd("looking for beginning of object key string");
            }
            String key = readString();
            skipWhitespace();
            if (peek() != ':') {
                throw invalidOrEnd("after object key");
            }
            pos++;
            map.put(key, readValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return map;
            } else {
                throw invalidOrEnd("after object key:value pair");
            }
        }
    }

    private List<Object> readArray() throws JsonException {
        List<Object> list = new ArrayList<>();
        pos++; // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(readValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return list;
            } else {
                throw invalidOrEnd("after array element");
            }
        }
    }

    private String readString() throws JsonException {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new JsonException("unexpected end of JSON input");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw invalid("in string literal");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw new JsonException("unexpected end of JSON input");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (pos + 4 > text.length()) {
                        throw new JsonException("unexpected end of JSON input");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw invalid("in \\u hexadecimal character escape");
                    }
                    pos += 4;
                    break;
                default:
                    pos--;
                    throw invalid("in string escape code");
            }
        }
    }

    private Object readLiteral(String word, Object value) throws JsonException {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= text.length()) {
                throw new JsonException("unexpected end of JSON input");
            }
            if (text.charAt(pos) != word.charAt(i)) {
                throw invalid("in literal " + word + " (expecting '" + word.charAt(i) + "')");
            }
            pos++;
        }
        return value;
    }

    private Object readNumber() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (!Character.isDigit(peek())) {
            throw invalidOrEnd("in numeric literal");
        }
        boolean integral = true;
        if (peek() == '0') {
            pos++;
        } else {
            while (Character.isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!Character.isDigit(peek())) {
                throw invalidOrEnd("after decimal point in numeric literal");
            }
            while (Character.isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!Character.isDigit(peek())) {
                throw invalidOrEnd("in exponent of numeric literal");
            }
            while (Character.isDigit(peek())) {
                pos++;
            }
        }
        String num = text.substring(start, pos);
        if (integral) {
            BigInteger big = new BigInteger(num);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        return Double.valueOf(num);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private JsonException invalidOrEnd(String context) {
        if (pos >= text.length()) {
            return new JsonException("unexpected end of JSON input");
        }
        return invalid(context);
    }

    private JsonException invalid(String context) {
        char c = text.charAt(pos);
        String shown = c == '\'' ? "'\\''" : "'" + c + "'";
        return new JsonException("invalid character " + shown + " " + context
                + " (line " + line() + ", column " + column() + ")");
    }

    private int line() {
        int line = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private int column() {
        int nl = text.lastIndexOf('\n', Math.max(0, pos - 1));
        return pos - nl;
    }

    // ---------------------------------------------------------------- writing

    private static void writeValue(StringBuilder sb, Object v, String indent, String prefix, boolean html) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof CharSequence || v instanceof Character) {
            quote(sb, v.toString(), html);
        } else if (v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            sb.append(formatFloat(((Number) v).doubleValue()));
        } else if (v instanceof BigDecimal) {
            sb.append(((BigDecimal) v).toPlainString());
        } else if (v instanceof Number) {
            sb.append(v);
        } else if (v instanceof Map) {
            writeObject(sb, (Map<?, ?>) v, indent, prefix, html);
        } else if (v instanceof Collection) {
            writeArray(sb, ((Collection<?>) v).toArray(), indent, prefix, html);
        } else if (v instanceof Object[]) {
            writeArray(sb, (Object[]) v, indent, prefix, html);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> map, String indent, String prefix, boolean html) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        String inner = indent == null ? prefix : prefix + indent;
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            if (indent != null) {
                sb.append('\n').append(inner);
            }
            quote(sb, String.valueOf(e.getKey()), html);
            sb.append(indent != null ? ": " : ":");
            writeValue(sb, e.getValue(), indent, inner, html);
        }
        if (indent != null) {
            sb.append('\n').append(prefix);
        }
        sb.append('}');
    }

    private static void writeArray(StringBuilder sb, Object[] items, String indent, String prefix, boolean html) {
        if (items.length == 0) {
            sb.append("[]");
            return;
        }
        String inner = indent == null ? prefix : prefix + indent;
        sb.append('[');
        for (int i = 0; i < items.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (indent != null) {
                sb.append('\n').append(inner);
            }
            writeValue(sb, items[i], indent, inner, html);
        }
        if (indent != null) {
            sb.append('\n').append(prefix);
        }
        sb.append(']');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Go's string encoding: {@code \" \\ \n \r \t}, other controls as {@code \}{@code u00XX}. */
    static void quote(StringBuilder sb, String s, boolean html) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029'
                            || (html && (c == '<' || c == '>' || c == '&'))) {
                        sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static String formatFloat(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("json: unsupported value: " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return BigDecimal.valueOf(d).toBigInteger().toString();
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toString();
    }
}
