package io.conclave.http.internal.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.http.internal.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A compiled {@code ?filter=} expression (go-bexpr's {@code CreateFilter} and {@code Filter.Execute}),
 * evaluated against each answer item's JSON tree, so its selectors are the field names Consul's JSON
 * shows.
 *
 * <p>Compiling parses the expression, checks every selector against the item type ({@link ConsulTypes}),
 * checks each operator is one the selected field takes, and converts each value to the field's type (an
 * integer as Go's {@code strconv.ParseInt(s, 0, 64)}, a boolean as {@code strconv.ParseBool}, a regular
 * expression compiled once). Each failure is a {@link FilterException} in go-bexpr's words.
 *
 * <p>Evaluating follows go-bexpr's {@code evaluateMatchExpressionRecurse}: a struct field missing from the
 * JSON (omitted when empty) has its zero value; a selector through a list matches if any element does; a
 * selector through a map to a missing key makes {@code ==}, {@code in}, {@code is not empty} and
 * {@code matches} false and their negations true. A regular expression is matched as Go's
 * {@code Regexp.Match} does (anywhere in the value), with Java's engine: RE2's {@code (?P<name>…)} groups
 * are accepted, and a match that backtracks past a fixed budget fails the request instead of hanging it.
 */
public final class Filter {

    /** Characters a regular expression may examine per value before its match is abandoned. */
    static final int REGEX_BUDGET = 1_000_000;

    private final Node root;

    private Filter(Node root) {
        this.root = root;
    }

    private sealed interface Node permits AndNode, OrNode, NotNode, MatchNode {
    }

    private record AndNode(List<Node> terms) implements Node {
    }

    private record OrNode(List<Node> terms) implements Node {
    }

    private record NotNode(Node operand) implements Node {
    }

    /** One match, its value converted, with the item type its path starts from. */
    private record MatchNode(List<String> path, MatchOp op, Object value, Field root) implements Node {
    }

    /** Compiles {@code expression} for items of {@code type}; {@code null} for an empty expression (no filter). */
    public static Filter compile(String expression, Field type) throws FilterException {
        if (expression == null || expression.isEmpty()) {
            return null;
        }
        return new Filter(compile(FilterParser.parse(expression), type));
    }

    private static Node compile(Expr e, Field type) throws FilterException {
        if (e instanceof Expr.And and) {
            List<Node> terms = new ArrayList<>();
            for (Expr t : and.terms()) {
                terms.add(compile(t, type));
            }
            return new AndNode(terms);
        }
        if (e instanceof Expr.Or or) {
            List<Node> terms = new ArrayList<>();
            for (Expr t : or.terms()) {
                terms.add(compile(t, type));
            }
            return new OrNode(terms);
        }
        if (e instanceof Expr.Not not) {
            return new NotNode(compile(not.operand(), type));
        }
        return validate((Expr.Match) e, type);
    }

    /** go-bexpr's {@code validateRecurse} for one match: selector, operator, then the value's conversion. */
    private static MatchNode validate(Expr.Match m, Field type) throws FilterException {
        Field f = type;
        List<String> path = m.selector();
        for (int i = 0; i < path.size(); i++) {
            Field next = f.select(path.get(i));
            if (next == null) {
                throw new FilterException("Selector " + goSlice(path.subList(0, i + 1)) + " is not valid");
            }
            f = next;
        }
        if (!f.operators().contains(m.op())) {
            throw new FilterException("Invalid match operator " + GoText.quote(m.op().display()) + " for selector "
                    + GoText.quote(m.selectorText()));
        }
        Object value = null;
        if (m.value() != null) {
            Field target = f.kind == Field.Kind.MAP ? Field.STRING : f.valueField();
            try {
                value = coerce(m.value(), target);
            } catch (IllegalArgumentException e) {
                throw new FilterException("Failed to coerce value " + GoText.quote(m.value()) + " for selector "
                        + GoText.quote(m.selectorText()) + ": " + e.getMessage());
            }
            if (m.op() == MatchOp.MATCHES || m.op() == MatchOp.NOT_MATCHES) {
                if (!(value instanceof String regex)) {
                    throw new FilterException("Match operator " + GoText.quote(m.op().display())
                            + " cannot be used with fields whose coercion functions return non string values");
                }
                try {
                    value = Pattern.compile(regex.replace("(?P<", "(?<"));
                } catch (PatternSyntaxException e) {
                    throw new FilterException("Failed to compile regular expression " + GoText.quote(regex) + ": "
                            + e.getDescription());
                }
            }
        } else if (m.op() != MatchOp.IS_EMPTY && m.op() != MatchOp.IS_NOT_EMPTY) {
            throw new FilterException("Match operator " + GoText.quote(m.op().display()) + " requires a non-nil value");
        }
        return new MatchNode(path, m.op(), value, type);
    }

    /** Go's {@code %q} of a {@code []string}: {@code ["Service" "Foo"]}. */
    private static String goSlice(List<String> parts) {
        List<String> quoted = new ArrayList<>(parts.size());
        for (String p : parts) {
            quoted.add(GoText.quote(p));
        }
        return "[" + String.join(" ", quoted) + "]";
    }

    private static Object coerce(String raw, Field type) {
        return switch (type.kind) {
            case INT -> GoInts.parseInt(raw);
            case BOOL -> parseBool(raw);
            default -> raw;
        };
    }

    /** Go's {@code strconv.ParseBool}. */
    private static Boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("strconv.ParseBool: parsing " + GoText.quote(s)
                    + ": invalid syntax");
        };
    }

    // ---- evaluation ----

    /**
     * Whether one item passes. Fails only when a regular expression exceeds its budget on this item.
     *
     * @param item the item's JSON as the endpoint answers it
     */
    public boolean matches(JsonNode item) throws FilterException {
        return eval(root, item);
    }

    /** The items that pass, in order. */
    public List<JsonNode> apply(List<JsonNode> items) throws FilterException {
        List<JsonNode> out = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            if (matches(item)) {
                out.add(item);
            }
        }
        return out;
    }

    private static boolean eval(Node n, JsonNode item) throws FilterException {
        if (n instanceof AndNode and) {
            for (Node t : and.terms()) {
                if (!eval(t, item)) {
                    return false;
                }
            }
            return true;
        }
        if (n instanceof OrNode or) {
            for (Node t : or.terms()) {
                if (eval(t, item)) {
                    return true;
                }
            }
            return false;
        }
        if (n instanceof NotNode not) {
            return !eval(not.operand(), item);
        }
        MatchNode m = (MatchNode) n;
        return select(m, 0, item, m.root());
    }

    private static boolean select(MatchNode m, int depth, JsonNode value, Field field) throws FilterException {
        if (depth == m.path().size()) {
            return leaf(m, value, field);
        }
        String name = m.path().get(depth);
        return switch (field.kind) {
            case STRUCT -> {
                JsonNode child = value != null && value.isObject() ? value.get(name) : null;
                yield select(m, depth + 1, child == null || child.isNull() ? null : child, field.fields.get(name));
            }
            case LIST -> {
                if (value != null && value.isArray()) {
                    for (JsonNode element : value) {
                        if (select(m, depth, element, field.element)) {
                            yield true;
                        }
                    }
                }
                yield false;
            }
            case MAP -> {
                JsonNode child = value != null && value.isObject() ? value.get(name) : null;
                if (child == null) {
                    MatchOp op = m.op();
                    yield !(op == MatchOp.EQUAL || op == MatchOp.IS_NOT_EMPTY || op == MatchOp.IN
                            || op == MatchOp.MATCHES);
                }
                yield select(m, depth + 1, child.isNull() ? null : child, field.element);
            }
            default -> false;
        };
    }

    private static boolean leaf(MatchNode m, JsonNode v, Field f) throws FilterException {
        boolean r = switch (m.op().positive()) {
            case EQUAL -> same(v, f, m.value());
            case IN -> switch (f.kind) {
                case STRING -> text(v).contains((String) m.value());
                case LIST -> {
                    if (v != null && v.isArray()) {
                        for (JsonNode e : v) {
                            if (same(e, f.element, m.value())) {
                                yield true;
                            }
                        }
                    }
                    yield false;
                }
                case MAP -> v != null && v.isObject() && v.has((String) m.value());
                default -> false;
            };
            case IS_EMPTY -> v == null || v.isNull() || v.size() == 0;
            case MATCHES -> find((Pattern) m.value(), text(v));
            default -> false;
        };
        return m.op().negated() != r;
    }

    private static boolean same(JsonNode v, Field f, Object value) {
        return switch (f.kind) {
            case STRING -> text(v).equals(value);
            case INT -> (v == null ? 0L : v.asLong()) == (Long) value;
            case BOOL -> (v != null && v.asBoolean()) == (Boolean) value;
            default -> false;
        };
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static boolean find(Pattern p, String s) throws FilterException {
        Budget budget = new Budget(s);
        try {
            Matcher matcher = p.matcher(budget);
            return matcher.find();
        } catch (Budget.Exhausted e) {
            throw new FilterException("regular expression " + GoText.quote(p.pattern())
                    + " is too expensive to evaluate (more than " + REGEX_BUDGET + " steps on one value)");
        }
    }

    /** A string that counts how often the regex engine reads it, so a pathological pattern cannot hang a thread. */
    private static final class Budget implements CharSequence {
        static final class Exhausted extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String s;
        private final int[] left;

        Budget(String s) {
            this(s, new int[] {REGEX_BUDGET});
        }

        private Budget(String s, int[] left) {
            this.s = s;
            this.left = left;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new Exhausted();
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budget(s.substring(start, end), left);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
