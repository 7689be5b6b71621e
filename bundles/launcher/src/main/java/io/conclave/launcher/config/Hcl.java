package io.conclave.launcher.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for the subset of HCL 1 (hashicorp/hcl v1, the syntax Consul's agent configuration uses)
 * that configuration files need, giving the same tree as {@link io.conclave.launcher.json.Json}:
 * {@code Map} (insertion-ordered), {@code List}, {@code String}, {@code Long}/{@code BigInteger},
 * {@code Double} and {@code Boolean}.
 *
 * <p>Accepted: {@code key = value} and {@code key { ... }} items separated by new lines or commas;
 * keys are identifiers ({@code [A-Za-z_][A-Za-z0-9_.-]*}) or quoted strings; labelled blocks
 * {@code key "label" { ... }} become nested objects; {@code key = { ... }} is the same as a block;
 * double-quoted strings with Go escapes ({@code ${...}} is kept as text); heredocs
 * {@code <<EOF}/{@code <<-EOF}; integers (decimal, {@code 0x} hex, leading-zero octal), floats,
 * {@code true}/{@code false}; lists {@code [a, b,]} of any values; comments {@code #},
 * {@code //} and {@code /* *}{@code /}.
 *
 * <p>A key given twice keeps the last value, except that objects given twice (two
 * {@code service { }} blocks) become a list of objects, as HCL 1 decodes them. Which keys a list of
 * objects is acceptable for is the configuration schema's business, not the reader's.
 *
 * <p>Errors read like HCL 1's: {@code At 3:7: expected '=' or '{' after key "node_name", got NUMBER 5}.
 */
public final class Hcl {

    /** A syntax error; the message starts with {@code At line:column:}. */
    public static final class HclException extends Exception {
        private static final long serialVersionUID = 1L;

        HclException(String message) {
            super(message);
        }
    }

    private enum T { IDENT, STRING, HEREDOC, NUMBER, FLOAT, BOOL, LBRACE, RBRACE, LBRACK, RBRACK, COMMA, ASSIGN, EOF }

    private record Token(T type, String text, Object value, int line, int col) {
        String describe() {
            return switch (type) {
                case EOF -> "end of input";
                case STRING, HEREDOC -> "string";
                case IDENT, NUMBER, FLOAT, BOOL -> type + " " + text;
                default -> "'" + text + "'";
            };
        }
    }

    private final String src;
    private int pos;
    private int line = 1;
    private int col = 1;
    private Token peeked;

    private Hcl(String src) {
        this.src = src;
    }

    /** Parses a whole document (an object list without braces). */
    public static Map<String, Object> parse(String text) throws HclException {
        Hcl p = new Hcl(text.startsWith("\uFEFF") ? text.substring(1) : text);
        Map<String, Object> root = p.objectList(false);
        Token t = p.next();
        if (t.type != T.EOF) {
            throw p.error(t, "unexpected " + t.describe());
        }
        return root;
    }

    // ---------------------------------------------------------------- parser

    private Map<String, Object> objectList(boolean braced) throws HclException {
        Map<String, Object> out = new LinkedHashMap<>();
        while (true) {
            Token t = peek();
            if (t.type == T.EOF) {
                if (braced) {
                    throw error(t, "object expected closing '}', got end of input");
                }
                return out;
            }
            if (t.type == T.RBRACE) {
                if (!braced) {
                    throw error(t, "unexpected '}'");
                }
                return out;
            }
            objectItem(out);
            if (peek().type == T.COMMA) {
                next();
            }
        }
    }

    private void objectItem(Map<String, Object> out) throws HclException {
        List<Token> keys = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.type == T.IDENT || t.type == T.STRING) {
                keys.add(next());
                continue;
            }
            break;
        }
        Token after = peek();
        if (keys.isEmpty()) {
            throw error(after, "expected a key (identifier or string), got " + after.describe());
        }
        Object value;
        if (after.type == T.ASSIGN) {
            if (keys.size() > 1) {
                throw error(after, "nested object expected: '{' got: '='");
            }
            next();
            value = value();
        } else if (after.type == T.LBRACE) {
            next();
            value = objectList(true);
            next(); // }
            for (int i = keys.size() - 1; i >= 1; i--) {
                Map<String, Object> wrap = new LinkedHashMap<>();
                wrap.put(keyText(keys.get(i)), value);
                value = wrap;
            }
        } else {
            throw error(after, "key \"" + keyText(keys.get(0)) + "\" expected start of object ('{') or assignment "
                    + "('='), got " + after.describe());
        }
        put(out, keyText(keys.get(0)), value);
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> out, String key, Object value) {
        Object old = out.get(key);
        if (old != null && isObjects(old) && isObjects(value)) {
            List<Object> list = new ArrayList<>();
            if (old instanceof List) {
                list.addAll((List<Object>) old);
            } else {
                list.add(old);
            }
            if (value instanceof List) {
                list.addAll((List<Object>) value);
            } else {
                list.add(value);
            }
            out.put(key, list);
            return;
        }
        out.remove(key); // keep the order of the last assignment
        out.put(key, value);
    }

    private static boolean isObjects(Object v) {
        if (v instanceof Map) {
            return true;
        }
        if (v instanceof List<?> l && !l.isEmpty()) {
            return l.stream().allMatch(e -> e instanceof Map);
        }
        return false;
    }

    private static String keyText(Token t) {
        return t.type == T.STRING ? (String) t.value : t.text;
    }

    private Object value() throws HclException {
        Token t = next();
        switch (t.type) {
            case STRING, HEREDOC, NUMBER, FLOAT, BOOL:
                return t.value;
            case LBRACE: {
                Map<String, Object> obj = objectList(true);
                next();
                return obj;
            }
            case LBRACK:
                return list(t);
            default:
                throw error(t, "unknown token: " + t.describe());
        }
    }

    private List<Object> list(Token open) throws HclException {
        List<Object> out = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.type == T.RBRACK) {
                next();
                return out;
            }
            if (t.type == T.EOF) {
                throw error(open, "list not terminated: expected ']'");
            }
            out.add(value());
            Token sep = peek();
            if (sep.type == T.COMMA) {
                next();
            } else if (sep.type != T.RBRACK) {
                throw error(sep, "list items must be separated by ',', got " + sep.describe());
            }
        }
    }

    // ---------------------------------------------------------------- scanner

    private Token peek() throws HclException {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    private Token next() throws HclException {
        Token t = peek();
        peeked = null;
        return t;
    }

    private char ch(int i) {
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private void advance() {
        if (pos < src.length()) {
            if (src.charAt(pos) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            pos++;
        }
    }

    private Token scan() throws HclException {
        skipSpaceAndComments();
        int l = line;
        int c = col;
        int start = pos;
        if (pos >= src.length()) {
            return new Token(T.EOF, "", null, l, c);
        }
        char ch = src.charAt(pos);
        if (isLetter(ch)) {
            while (pos < src.length() && (isLetter(src.charAt(pos)) || Character.isDigit(src.charAt(pos))
                    || src.charAt(pos) == '-' || src.charAt(pos) == '.')) {
                advance();
            }
            String text = src.substring(start, pos);
            if (text.equals("true") || text.equals("false")) {
                return new Token(T.BOOL, text, Boolean.valueOf(text), l, c);
            }
            return new Token(T.IDENT, text, text, l, c);
        }
        if ((ch >= '0' && ch <= '9') || (ch == '-' && ch(pos + 1) >= '0' && ch(pos + 1) <= '9')) {
            return number(l, c);
        }
        switch (ch) {
            case '"':
                return string(l, c);
            case '<':
                return heredoc(l, c);
            case '{':
                advance();
                return new Token(T.LBRACE, "{", null, l, c);
            case '}':
                advance();
                return new Token(T.RBRACE, "}", null, l, c);
            case '[':
                advance();
                return new Token(T.LBRACK, "[", null, l, c);
            case ']':
                advance();
                return new Token(T.RBRACK, "]", null, l, c);
            case ',':
                advance();
                return new Token(T.COMMA, ",", null, l, c);
            case '=':
                advance();
                return new Token(T.ASSIGN, "=", null, l, c);
            default:
                throw new HclException("At " + l + ":" + c + ": illegal char '" + ch + "'");
        }
    }

    private void skipSpaceAndComments() throws HclException {
        while (pos < src.length()) {
            char ch = src.charAt(pos);
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                advance();
            } else if (ch == '#' || (ch == '/' && ch(pos + 1) == '/')) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    advance();
                }
            } else if (ch == '/' && ch(pos + 1) == '*') {
                int l = line;
                int c = col;
                advance();
                advance();
                while (!(ch(pos) == '*' && ch(pos + 1) == '/')) {
                    if (pos >= src.length()) {
                        throw new HclException("At " + l + ":" + c + ": comment not terminated");
                    }
                    advance();
                }
                advance();
                advance();
            } else if (ch == '/') {
                throw new HclException("At " + line + ":" + col + ": expected '/' for comment");
            } else {
                return;
            }
        }
    }

    private Token number(int l, int c) throws HclException {
        int start = pos;
        if (src.charAt(pos) == '-') {
            advance();
        }
        boolean isFloat = false;
        if (ch(pos) == '0' && (ch(pos + 1) == 'x' || ch(pos + 1) == 'X')) {
            advance();
            advance();
            int digits = pos;
            while (Character.digit(ch(pos), 16) >= 0) {
                advance();
            }
            if (pos == digits) {
                throw new HclException("At " + l + ":" + c + ": illegal hexadecimal number");
            }
        } else {
            while (Character.isDigit(ch(pos))) {
                advance();
            }
            if (ch(pos) == '.' && Character.isDigit(ch(pos + 1))) {
                isFloat = true;
                advance();
                while (Character.isDigit(ch(pos))) {
                    advance();
                }
            }
            if (ch(pos) == 'e' || ch(pos) == 'E') {
                isFloat = true;
                advance();
                if (ch(pos) == '+' || ch(pos) == '-') {
                    advance();
                }
                if (!Character.isDigit(ch(pos))) {
                    throw new HclException("At " + l + ":" + c + ": illegal exponent in number");
                }
                while (Character.isDigit(ch(pos))) {
                    advance();
                }
            }
        }
        String text = src.substring(start, pos);
        if (isLetter(ch(pos))) {
            throw new HclException("At " + l + ":" + c + ": illegal number " + text + ch(pos));
        }
        if (isFloat) {
            return new Token(T.FLOAT, text, Double.valueOf(text), l, c);
        }
        boolean neg = text.startsWith("-");
        String digits = neg ? text.substring(1) : text;
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8; // Go's strconv.ParseInt(s, 0, 64), as HCL 1 decodes numbers
            if (digits.chars().anyMatch(d -> d == '8' || d == '9')) {
                throw new HclException("At " + l + ":" + c + ": illegal octal number " + text);
            }
        }
        BigInteger big = new BigInteger(digits, radix);
        if (neg) {
            big = big.negate();
        }
        Object v = big.bitLength() < 64 ? (Object) big.longValue() : big;
        return new Token(T.NUMBER, text, v, l, c);
    }

    private Token string(int l, int c) throws HclException {
        int start = pos;
        advance(); // opening quote
        StringBuilder sb = new StringBuilder();
        int braces = 0;
        while (true) {
            if (pos >= src.length() || (src.charAt(pos) == '\n' && braces == 0)) {
                throw new HclException("At " + l + ":" + c + ": literal not terminated");
            }
            char ch = src.charAt(pos);
            if (ch == '"' && braces == 0) {
                advance();
                return new Token(T.STRING, src.substring(start, pos), sb.toString(), l, c);
            }
            if (braces == 0 && ch == '$' && ch(pos + 1) == '{') {
                braces++;
                sb.append("${");
                advance();
                advance();
                continue;
            }
            if (braces > 0 && ch == '{') {
                braces++;
            } else if (braces > 0 && ch == '}') {
                braces--;
            }
            if (ch == '\\') {
                int el = line;
                int ec = col;
                advance();
                char e = ch(pos);
                advance();
                switch (e) {
                    case 'a' -> sb.append('\u0007');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'v' -> sb.append('\u000b');
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    case 'u' -> sb.appendCodePoint(hexDigits(4, el, ec));
                    case 'U' -> sb.appendCodePoint(hexDigits(8, el, ec));
                    case 'x' -> sb.append((char) hexDigits(2, el, ec));
                    default -> throw new HclException("At " + el + ":" + ec + ": illegal char escape");
                }
                continue;
            }
            sb.append(ch);
            advance();
        }
    }

    private int hexDigits(int n, int l, int c) throws HclException {
        if (pos + n > src.length()) {
            throw new HclException("At " + l + ":" + c + ": illegal char escape");
        }
        String hex = src.substring(pos, pos + n);
        try {
            int v = Integer.parseUnsignedInt(hex, 16);
            if (!Character.isValidCodePoint(v)) {
                throw new NumberFormatException();
            }
            for (int i = 0; i < n; i++) {
                advance();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HclException("At " + l + ":" + c + ": illegal char escape");
        }
    }

    private Token heredoc(int l, int c) throws HclException {
        if (ch(pos + 1) != '<') {
            throw new HclException("At " + l + ":" + c + ": heredoc expected second '<', didn't see it");
        }
        advance();
        advance();
        boolean indented = false;
        if (ch(pos) == '-') {
            indented = true;
            advance();
        }
        int anchorStart = pos;
        while (isLetter(ch(pos)) || Character.isDigit(ch(pos))) {
            advance();
        }
        String anchor = src.substring(anchorStart, pos);
        if (ch(pos) == '\r' && ch(pos + 1) == '\n') {
            advance();
        }
        if (pos >= src.length()) {
            throw new HclException("At " + l + ":" + c + ": heredoc not terminated");
        }
        if (ch(pos) != '\n') {
            throw new HclException("At " + l + ":" + c + ": invalid characters in heredoc anchor");
        }
        if (anchor.isEmpty()) {
            throw new HclException("At " + l + ":" + c + ": zero-length heredoc anchor");
        }
        advance(); // the new line after the anchor
        List<String> lines = new ArrayList<>();
        while (true) {
            if (pos >= src.length()) {
                throw new HclException("At " + l + ":" + c + ": heredoc not terminated");
            }
            int lineStart = pos;
            while (pos < src.length() && src.charAt(pos) != '\n') {
                advance();
            }
            String text = src.substring(lineStart, pos);
            String trimmed = text.replaceAll("\r+$", "").strip();
            if (trimmed.equals(anchor)) {
                break;
            }
            lines.add(text);
            if (pos >= src.length()) {
                throw new HclException("At " + l + ":" + c + ": heredoc not terminated");
            }
            advance(); // \n
        }
        if (indented) {
            int indent = Integer.MAX_VALUE;
            for (String s : lines) {
                if (s.isBlank()) {
                    continue;
                }
                int i = 0;
                while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                    i++;
                }
                indent = Math.min(indent, i);
            }
            if (indent == Integer.MAX_VALUE) {
                indent = 0;
            }
            List<String> stripped = new ArrayList<>();
            for (String s : lines) {
                stripped.add(s.length() >= indent ? s.substring(indent) : s.strip());
            }
            lines = stripped;
        }
        StringBuilder sb = new StringBuilder();
        for (String s : lines) {
            sb.append(s).append('\n');
        }
        return new Token(T.HEREDOC, "<<" + anchor, sb.toString(), l, c);
    }

    private static boolean isLetter(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (ch >= 0x80 && Character.isLetter(ch));
    }

    private HclException error(Token at, String message) {
        return new HclException("At " + at.line + ":" + at.col + ": " + message);
    }
}
