package io.conclave.http.internal;

import java.util.List;

/**
 * Consul's {@code HTTPError}: a status code and the plain-text body to answer with. Thrown by resources
 * and parameter parsers; {@link ErrorMapper} writes it out.
 */
public class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<String> allow;

    public HttpError(int status, String reason) {
        this(status, reason, List.of());
    }

    /** @param allow the methods for an {@code Allow} header (405, OPTIONS), in order */
    public HttpError(int status, String reason, List<String> allow) {
        super(reason, null, false, false);
        this.status = status;
        this.allow = List.copyOf(allow);
    }

    public int status() {
        return status;
    }

    public List<String> allow() {
        return allow;
    }

    public static HttpError badRequest(String reason) {
        return new HttpError(400, reason);
    }

    /** Consul's {@code MethodNotAllowedError}: its text, and an {@code Allow} list led by OPTIONS. */
    public static HttpError methodNotAllowed(String method, List<String> methods) {
        return new HttpError(405, "method " + method + " not allowed", withOptions(methods));
    }

    /** What Consul's {@code Allow} header lists for a route: OPTIONS, then the route's own methods. */
    public static List<String> withOptions(List<String> methods) {
        java.util.ArrayList<String> allow = new java.util.ArrayList<>(methods.size() + 1);
        allow.add("OPTIONS");
        allow.addAll(methods);
        return allow;
    }
}
