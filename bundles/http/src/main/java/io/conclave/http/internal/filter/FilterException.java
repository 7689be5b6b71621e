package io.conclave.http.internal.filter;

/**
 * A filter expression that does not parse, names a selector the data does not have, or applies an
 * operator or value the selected field cannot take. The message is go-bexpr's wording (for a parse error,
 * pigeon's {@code line:column (offset): …}); Consul prefixes it with
 * {@code Failed to create boolean expression evaluator: }.
 */
public final class FilterException extends Exception {
    private static final long serialVersionUID = 1L;

    public FilterException(String message) {
        super(message, null, false, false);
    }
}
