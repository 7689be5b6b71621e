package io.conclave.http.internal.filter;

import io.conclave.http.internal.GoText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * go-bexpr's grammar ({@code grammar.peg}) as a hand-written PEG parser: ordered choice, backtracking,
 * and pigeon's error reporting, so a bad expression fails with the text Consul's clients see:
 * <pre>
 * Input       &lt;- _? "(" _? Or _? ")" _? EOF / _? Or _? EOF
 * Or          &lt;- And _ "or" _ Or / And
 * And         &lt;- Not _ "and" _ And / Not
 * Not         &lt;- "not" _ Not / Paren
 * Paren       &lt;- "(" _? Or _? ")" / Match / "(" _? Or _? !")" {Unmatched parentheses}
 * Match       &lt;- Selector (== / != / contains / not contains / matches / not matches) Value
 *              / Selector (is empty / is not empty)
 *              / Value (in / not in) Selector / Value (in / not in) !Selector {Invalid selector}
 * Selector    &lt;- [a-zA-Z][a-zA-Z0-9_]* ("." Identifier / "[" _? String _? "]" / "." [0-9]+)*
 * Value       &lt;- Selector / Number / String
 * Number      &lt;- "-"? ("0" / [1-9][0-9]*) ("." [0-9]+)? followed by whitespace, EOF or ")"
 * String      &lt;- `raw` / "Go-escaped" (a double-quoted string cannot hold a quote)
 * _           &lt;- [ \t\r\n]+
 * </pre>
 * {@code ==} and {@code !=} need no surrounding whitespace; every word operator does. A failure is
 * reported as pigeon reports it: {@code line:col (offset): rule "number": Invalid number literal} for the
 * grammar's own errors, else {@code line:col (offset): no match found, expected: …} listing what could
 * have come at the farthest position reached. The offset counts UTF-8 bytes, as Go's does.
 *
 * <p>Hostile input is bounded: {@code and}/{@code or}/{@code not} chains are parsed by loops, parentheses
 * may nest {@value #MAX_NESTING} deep, and the one rule the grammar revisits at the same position
 * ({@code Or}, from the two parenthesis alternatives) is memoised, so parsing stays linear.
 */
public final class FilterParser {

    static final int MAX_NESTING = 64;

    private final String in;
    private int pos;
    private int farthest = -1;
    private final Set<String> expected = new TreeSet<>();
    private final Set<String> errors = new LinkedHashSet<>();
    private int nesting;
    private final Map<Integer, Memo> orMemo = new HashMap<>();

    private record Memo(Expr expr, int end) {
    }

    private static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super(null, null, false, false);
        }
    }

    private FilterParser(String input) {
        this.in = input;
    }

    /** Parses a whole expression. */
    public static Expr parse(String input) throws FilterException {
        FilterParser p = new FilterParser(input);
        Expr e;
        try {
            e = p.input();
        } catch (TooDeep t) {
            throw new FilterException(p.position(p.pos) + ": parentheses nest more than " + MAX_NESTING + " deep");
        }
        if (!p.errors.isEmpty()) {
            throw new FilterException(String.join("\n", p.errors));
        }
        if (e == null) {
            throw new FilterException(p.position(Math.max(0, p.farthest)) + ": no match found, expected: "
                    + p.expectedList());
        }
        return e;
    }

    // ---- rules ----

    private Expr input() {
        int start = pos;
        ws0();
        if (lit("(")) {
            ws0();
            Expr e = or();
            if (e != null) {
                ws0();
                if (lit(")")) {
                    ws0();
                    if (eof()) {
                        return e;
                    }
                }
            }
        }
        pos = start;
        ws0();
        Expr e = or();
        if (e != null) {
            ws0();
            if (eof()) {
                return e;
            }
        }
        return null;
    }

    private Expr or() {
        int start = pos;
        Memo m = orMemo.get(start);
        if (m != null) {
            pos = m.end;
            return m.expr;
        }
        Expr e = chain("or", true);
        orMemo.put(start, new Memo(e, e == null ? start : pos));
        if (e == null) {
            pos = start;
        }
        return e;
    }

    /** {@code X <- Y _ word _ X / Y} as a loop: as many {@code Y}s as the word joins. */
    private Expr chain(String word, boolean isOr) {
        List<Expr> terms = new ArrayList<>();
        Expr first = isOr ? chain("and", false) : not();
        if (first == null) {
            return null;
        }
        terms.add(first);
        for (;;) {
            int save = pos;
            if (ws1() && lit(word) && ws1()) {
                Expr next = isOr ? chain("and", false) : not();
                if (next != null) {
                    terms.add(next);
                    continue;
                }
            }
            pos = save;
            break;
        }
        if (terms.size() == 1) {
            return terms.get(0);
        }
        return isOr ? new Expr.Or(terms) : new Expr.And(terms);
    }

    /**
     * {@code Not <- "not" _ Not / Paren}, as a loop that backtracks one {@code not} at a time (in
     * {@code not == 1} the word is a selector); {@code not not x} is {@code x}, as go-bexpr folds it.
     */
    private Expr not() {
        int start = pos;
        List<Integer> after = new ArrayList<>();
        for (;;) {
            int save = pos;
            if (lit("not") && ws1()) {
                after.add(pos);
                continue;
            }
            pos = save;
            break;
        }
        for (int k = after.size(); k >= 0; k--) {
            pos = k == 0 ? start : after.get(k - 1);
            Expr e = paren();
            if (e != null) {
                return k % 2 == 0 ? e : new Expr.Not(e);
            }
        }
        pos = start;
        return null;
    }

    private Expr paren() {
        int start = pos;
        if (lit("(")) {
            if (++nesting > MAX_NESTING) {
                throw new TooDeep();
            }
            try {
                ws0();
                Expr e = or();
                if (e != null) {
                    ws0();
                    if (lit(")")) {
                        return e;
                    }
                }
            } finally {
                nesting--;
            }
        }
        pos = start;
        Expr m = match();
        if (m != null) {
            return m;
        }
        pos = start;
        if (lit("(")) {
            ws0();
            if (or() != null) {
                ws0();
                if (!peekLit(")")) {
                    error("grouping", "Unmatched parentheses");
                }
            }
        }
        pos = start;
        return null;
    }

    private static final String[] VALUE_OPS = {"==", "!=", "contains", "not contains", "matches", "not matches"};

    private Expr match() {
        int start = pos;
        // Selector (== | != | contains | not contains | matches | not matches) Value
        List<String> sel = selector();
        if (sel != null) {
            int afterSel = pos;
            for (String op : VALUE_OPS) {
                pos = afterSel;
                if (operator(op)) {
                    String value = value();
                    if (value != null) {
                        return new Expr.Match(sel, opOf(op), value);
                    }
                    break; // PEG: the operator matched, so this alternative fails as a whole
                }
            }
            // Selector (is empty | is not empty)
            pos = afterSel;
            if (ws1() && lit("is") && ws1() && lit("empty")) {
                return new Expr.Match(sel, MatchOp.IS_EMPTY, null);
            }
            pos = afterSel;
            if (ws1() && lit("is") && ws1() && lit("not") && ws1() && lit("empty")) {
                return new Expr.Match(sel, MatchOp.IS_NOT_EMPTY, null);
            }
        }
        // Value (in | not in) Selector
        pos = start;
        String value = value();
        if (value != null) {
            int afterValue = pos;
            MatchOp op = null;
            if (ws1() && lit("in") && ws1()) {
                op = MatchOp.IN;
            } else {
                pos = afterValue;
                if (ws1() && lit("not") && ws1() && lit("in") && ws1()) {
                    op = MatchOp.NOT_IN;
                }
            }
            if (op != null) {
                int beforeSel = pos;
                List<String> target = selector();
                if (target != null) {
                    return new Expr.Match(target, op, value);
                }
                pos = beforeSel;
                error("match", "Invalid selector");
            }
        }
        pos = start;
        return null;
    }

    private static MatchOp opOf(String op) {
        return switch (op) {
            case "==" -> MatchOp.EQUAL;
            case "!=" -> MatchOp.NOT_EQUAL;
            case "contains" -> MatchOp.IN;
            case "not contains" -> MatchOp.NOT_IN;
            case "matches" -> MatchOp.MATCHES;
            default -> MatchOp.NOT_MATCHES;
        };
    }

    /** {@code _? "==" _?}, {@code _? "!=" _?}, else the words with mandatory whitespace around each. */
    private boolean operator(String op) {
        int start = pos;
        if (op.equals("==") || op.equals("!=")) {
            ws0();
            if (lit(op)) {
                ws0();
                return true;
            }
            pos = start;
            return false;
        }
        for (String word : op.split(" ")) {
            if (!(ws1() && lit(word))) {
                pos = start;
                return false;
            }
        }
        if (ws1()) {
            return true;
        }
        pos = start;
        return false;
    }

    private List<String> selector() {
        int start = pos;
        String first = identifier();
        if (first == null) {
            pos = start;
            return null;
        }
        List<String> path = new ArrayList<>();
        path.add(first);
        for (;;) {
            int save = pos;
            if (lit(".")) {
                String id = identifier();
                if (id != null) {
                    path.add(id);
                    continue;
                }
            }
            pos = save;
            String index = index();
            if (index != null) {
                path.add(index);
                continue;
            }
            pos = save;
            if (lit(".")) {
                int digits = pos;
                if (cls(c -> c >= '0' && c <= '9', "[0-9]")) {
                    while (cls(c -> c >= '0' && c <= '9', "[0-9]")) {
                        // more digits
                    }
                    path.add(in.substring(digits, pos));
                    continue;
                }
            }
            pos = save;
            return path;
        }
    }

    private String identifier() {
        int start = pos;
        if (!cls(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z', "[a-zA-Z]")) {
            return null;
        }
        while (cls(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_', "[a-zA-Z0-9_]")) {
            // rest of the identifier
        }
        return in.substring(start, pos);
    }

    private String index() {
        int start = pos;
        if (!lit("[")) {
            return null;
        }
        ws0();
        int beforeString = pos;
        String s = string();
        if (s == null) {
            pos = beforeString;
            error("index", "Invalid index");
            pos = start;
            return null;
        }
        ws0();
        if (lit("]")) {
            return s;
        }
        error("index", "Unclosed index expression");
        pos = start;
        return null;
    }

    /** A value's raw text: a selector's dotted path, a number as written, or an unquoted string. */
    private String value() {
        int start = pos;
        List<String> sel = selector();
        if (sel != null) {
            return String.join(".", sel);
        }
        pos = start;
        String n = number();
        if (n != null) {
            return n;
        }
        pos = start;
        String s = string();
        if (s != null) {
            return s;
        }
        pos = start;
        return null;
    }

    private String number() {
        int start = pos;
        lit("-");
        if (lit("0")) {
            // a lone zero
        } else if (cls(c -> c >= '1' && c <= '9', "[1-9]")) {
            while (cls(c -> c >= '0' && c <= '9', "[0-9]")) {
                // more digits
            }
        } else {
            pos = start;
            return null;
        }
        int beforeFraction = pos;
        if (lit(".") && cls(c -> c >= '0' && c <= '9', "[0-9]")) {
            while (cls(c -> c >= '0' && c <= '9', "[0-9]")) {
                // more digits
            }
        } else {
            pos = beforeFraction;
        }
        int end = pos;
        // &AfterNumbers: whitespace, EOF or ")" must follow, without consuming it
        boolean after = (ws1() || eof() || lit(")"));
        pos = end;
        if (after) {
            return in.substring(start, end);
        }
        error("number", "Invalid number literal");
        pos = start;
        return null;
    }

    private String string() {
        int start = pos;
        char quote;
        if (lit("`")) {
            quote = '`';
        } else if (lit("\"")) {
            quote = '"';
        } else {
            return null;
        }
        while (pos < in.length() && in.charAt(pos) != quote) {
            pos++;
        }
        if (pos < in.length()) {
            pos++;
            String literal = in.substring(start, pos);
            String text = unquote(literal);
            if (text == null) {
                int end = pos;
                pos = start;
                error("string", "invalid syntax");
                pos = end;
                return null;
            }
            return text;
        }
        expect(quote == '"' ? "\"\\\"\"" : "\"`\"");
        // ('`' RawStringChar* / '"' DoubleStringChar*) EOF &{Unterminated string literal}
        error("string", "Unterminated string literal");
        pos = start;
        return null;
    }

    /** Go's {@code strconv.Unquote} for a double-quoted or raw literal; {@code null} for invalid syntax. */
    static String unquote(String literal) {
        char q = literal.charAt(0);
        String body = literal.substring(1, literal.length() - 1);
        if (q == '`') {
            return body.replace("\r", "");
        }
        if (body.indexOf('\n') >= 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= body.length()) {
                return null;
            }
            char e = body.charAt(i);
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
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n >= body.length()) {
                        return null;
                    }
                    int v = 0;
                    for (int k = 1; k <= n; k++) {
                        int d = Character.digit(body.charAt(i + k), 16);
                        if (d < 0 || body.charAt(i + k) > 0x7f) {
                            return null;
                        }
                        v = v * 16 + d;
                    }
                    i += n;
                    if (e == 'x') {
                        sb.append((char) v);
                    } else {
                        if (v > 0x10FFFF || v >= 0xD800 && v <= 0xDFFF || v < 0) {
                            return null;
                        }
                        sb.appendCodePoint(v);
                    }
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int v = 0;
                    for (int k = 0; k < 3; k++) {
                        if (i + k >= body.length()) {
                            return null;
                        }
                        char d = body.charAt(i + k);
                        if (d < '0' || d > '7') {
                            return null;
                        }
                        v = v * 8 + (d - '0');
                    }
                    if (v > 255) {
                        return null;
                    }
                    i += 2;
                    sb.append((char) v);
                }
                default -> {
                    return null;
                }
            }
        }
        return sb.toString();
    }

    // ---- terminals ----

    private boolean lit(String s) {
        if (in.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        expect(GoText.quote(s));
        return false;
    }

    /** A literal as a lookahead: never consumes, never reported as expected. */
    private boolean peekLit(String s) {
        return in.startsWith(s, pos);
    }

    private boolean cls(IntPredicate p, String description) {
        if (pos < in.length() && p.test(in.charAt(pos))) {
            pos++;
            return true;
        }
        expect(description);
        return false;
    }

    private boolean eof() {
        if (pos == in.length()) {
            return true;
        }
        expect("EOF");
        return false;
    }

    private boolean ws1() {
        if (!cls(FilterParser::isSpace, "[ \\t\\r\\n]")) {
            return false;
        }
        while (cls(FilterParser::isSpace, "[ \\t\\r\\n]")) {
            // more whitespace
        }
        return true;
    }

    private void ws0() {
        ws1();
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private void expect(String what) {
        if (pos > farthest) {
            farthest = pos;
            expected.clear();
        }
        if (pos == farthest) {
            expected.add(what);
        }
    }

    private void error(String rule, String message) {
        errors.add(position(pos) + ": rule " + GoText.quote(rule) + ": " + message);
    }

    /** pigeon's {@code line:col (offset)}: 1-based line and column (in characters), offset in UTF-8 bytes. */
    private String position(int at) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < in.length(); i++) {
            if (in.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int col = in.codePointCount(lineStart, Math.min(at, in.length())) + 1;
        int offset = in.substring(0, Math.min(at, in.length())).getBytes(StandardCharsets.UTF_8).length;
        return line + ":" + col + " (" + offset + ")";
    }

    /** pigeon's list: sorted, comma-separated, the last joined with "or". */
    private String expectedList() {
        List<String> list = new ArrayList<>(expected);
        if (list.isEmpty()) {
            return "EOF";
        }
        if (list.size() == 1) {
            return list.get(0);
        }
        return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
    }
}
