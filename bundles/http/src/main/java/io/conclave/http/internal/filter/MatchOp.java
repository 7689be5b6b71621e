package io.conclave.http.internal.filter;

/** go-bexpr's match operators, with the names its error messages use ({@code MatchOperator.String}). */
public enum MatchOp {
    EQUAL("Equal"),
    NOT_EQUAL("Not Equal"),
    IN("In"),
    NOT_IN("Not In"),
    IS_EMPTY("Is Empty"),
    IS_NOT_EMPTY("Is Not Empty"),
    MATCHES("Matches"),
    NOT_MATCHES("Not Matches");

    private final String display;

    MatchOp(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }

    boolean negated() {
        return this == NOT_EQUAL || this == NOT_IN || this == IS_NOT_EMPTY || this == NOT_MATCHES;
    }

    MatchOp positive() {
        return switch (this) {
            case NOT_EQUAL -> EQUAL;
            case NOT_IN -> IN;
            case IS_NOT_EMPTY -> IS_EMPTY;
            case NOT_MATCHES -> MATCHES;
            default -> this;
        };
    }
}
