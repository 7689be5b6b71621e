package io.conclave.http.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Keeps the request target exactly as the client sent it. Jersey rebuilds the request URI and
 * re-encodes what it considers unsafe (a stray {@code %} becomes {@code %25}), which would change
 * what Go's parser, and so Consul, accepts; the routing filter reads these attributes instead.
 */
final class RawRequest implements Filter {

    static final String QUERY = RawRequest.class.getName() + ".query";
    static final String PATH = RawRequest.class.getName() + ".path";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            String query = http.getQueryString();
            request.setAttribute(QUERY, query == null ? "" : query);
            request.setAttribute(PATH, http.getRequestURI());
            ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
            if (jetty != null) {
                request.setAttribute(Parking.END_POINT,
                        jetty.getConnectionMetaData().getConnection().getEndPoint());
            }
        }
        chain.doFilter(request, response);
    }
}
