package io.conclave.http.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Consul's request pipeline in front of the resources: Go's {@code ServeMux} (unknown path → 404 with
 * Consul's text, subtree root without its slash → 301), then {@code HTTPHandlers.wrap}: the
 * {@code X-Consul-Default-ACL-Policy} header, the query string decoded once, OPTIONS answered with the
 * route's methods, and any other method the route does not list refused with 405 and {@code Allow}.
 * Only requests that pass reach Jersey's matching, so Jersey never invents an answer of its own.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class RoutingFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** Request property: the percent-decoded request path. */
    public static final String PATH = RoutingFilter.class.getName() + ".path";
    private static final String ROUTED = RoutingFilter.class.getName() + ".routed";

    static final String INDEX_TEXT =
            "Consul Agent: UI disabled. To enable, set ui_config.enabled=true in the agent configuration and restart.";

    @Override
    public void filter(ContainerRequestContext request) {
        String path = decodePath(rawPath(request));
        request.setProperty(PATH, path);

        Routes.Route route = Routes.match(path);
        if (route == null) {
            request.abortWith(unrouted(request, path));
            return;
        }
        request.setProperty(ROUTED, Boolean.TRUE);
        request.setProperty(GoQuery.ATTRIBUTE, GoQuery.parse(rawQuery(request)));

        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            request.abortWith(Response.ok().header("Allow", String.join(",", HttpError.withOptions(route.methods()))).build());
        } else if (!route.methods().contains(method)) {
            throw HttpError.methodNotAllowed(method, route.methods());
        }
    }

    private static Response unrouted(ContainerRequestContext request, String path) {
        if (path.equals("/")) {
            return ErrorMapper.plain(200, INDEX_TEXT);
        }
        if (Routes.subtreeRoot(path) != null) {
            String query = rawQuery(request);
            String location = rawPath(request) + "/" + (query.isEmpty() ? "" : "?" + query);
            return Response.status(301).header("Location", location)
                    .entity("Moved Permanently".getBytes(StandardCharsets.UTF_8))
                    .type(ErrorMapper.TEXT_PLAIN_UTF8).build();
        }
        return ErrorMapper.plain(404, path.contains("/v1/")
                ? "Invalid URL path: not a recognized HTTP API endpoint\n"
                : "Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n");
    }

    /** The path as sent (Jersey's own copy is re-encoded). */
    static String rawPath(ContainerRequestContext request) {
        Object raw = request.getProperty(RawRequest.PATH);
        String path = raw != null ? raw.toString() : request.getUriInfo().getRequestUri().getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** The query string as sent, {@code ""} when there is none. */
    static String rawQuery(ContainerRequestContext request) {
        Object raw = request.getProperty(RawRequest.QUERY);
        String query = raw != null ? raw.toString() : request.getUriInfo().getRequestUri().getRawQuery();
        return query == null ? "" : query;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(ROUTED) != null) {
            response.getHeaders().putSingle("X-Consul-Default-ACL-Policy", "allow");
        }
    }

    /**
     * Go's {@code url.PathUnescape} as {@code URL.Path} is built: every {@code %XX} is a byte, {@code +}
     * stays a plus. Jetty has already refused malformed escapes.
     */
    static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int d1;
            int d2;
            if (bytes[i] == '%' && i + 2 < bytes.length
                    && (d1 = Character.digit(bytes[i + 1], 16)) >= 0 && (d2 = Character.digit(bytes[i + 2], 16)) >= 0) {
                out.write(d1 << 4 | d2);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
