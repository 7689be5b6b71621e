package io.conclave.http.internal.filter;

import java.util.List;

/**
 * The syntax tree of a filter expression (go-bexpr's AST). {@code and} and {@code or} chains are kept as
 * lists rather than nested pairs, so a long chain neither recurses deeply when parsed nor when evaluated;
 * their meaning (left to right, short-circuit) is the same.
 */
public sealed interface Expr {

    record And(List<Expr> terms) implements Expr {
        public And {
            terms = List.copyOf(terms);
        }
    }

    record Or(List<Expr> terms) implements Expr {
        public Or {
            terms = List.copyOf(terms);
        }
    }

    record Not(Expr operand) implements Expr {
    }

    /**
     * One match: a selector path, an operator and (except for the emptiness checks) the value as written,
     * strings already unquoted.
     */
    record Match(List<String> selector, MatchOp op, String value) implements Expr {
        public Match {
            selector = List.copyOf(selector);
        }

        /** go-bexpr's {@code Selector.String}: the path joined with dots. */
        public String selectorText() {
            return String.join(".", selector);
        }
    }
}
