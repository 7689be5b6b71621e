package io.conclave.http.internal;

import java.util.List;

/**
 * The endpoints this bundle serves and the methods each allows, as Consul registers them
 * ({@code registerEndpoint(pattern, methods, fn)} in {@code agent/http_register.go}). Matching follows
 * Go's {@code ServeMux}: a pattern ending in {@code /} is a subtree (longest match wins), any other
 * pattern matches only itself.
 */
public final class Routes {

    /** @param pattern a path, or a subtree when it ends in {@code /} */
    public record Route(String pattern, List<String> methods) {
        public Route {
            methods = List.copyOf(methods);
        }

        boolean subtree() {
            return pattern.endsWith("/");
        }
    }

    public static final List<Route> ALL = List.of(
            new Route("/v1/agent/leave", List.of("PUT")),
            new Route("/v1/agent/maintenance", List.of("PUT")),
            new Route("/v1/agent/reload", List.of("PUT")),
            new Route("/v1/agent/members", List.of("GET")),
            new Route("/v1/agent/join/", List.of("PUT")),
            new Route("/v1/agent/force-leave/", List.of("PUT")),
            new Route("/v1/agent/services", List.of("GET")),
            new Route("/v1/agent/service/", List.of("GET")),
            new Route("/v1/agent/service/register", List.of("PUT")),
            new Route("/v1/agent/service/deregister/", List.of("PUT")),
            new Route("/v1/agent/service/maintenance/", List.of("PUT")),
            new Route("/v1/agent/checks", List.of("GET")),
            new Route("/v1/agent/check/register", List.of("PUT")),
            new Route("/v1/agent/check/deregister/", List.of("PUT")),
            new Route("/v1/agent/check/pass/", List.of("PUT")),
            new Route("/v1/agent/check/warn/", List.of("PUT")),
            new Route("/v1/agent/check/fail/", List.of("PUT")),
            new Route("/v1/agent/check/update/", List.of("PUT")),
            new Route("/v1/agent/health/service/id/", List.of("GET")),
            new Route("/v1/agent/health/service/name/", List.of("GET")),
            new Route("/v1/agent/self", List.of("GET")),
            new Route("/v1/catalog/register", List.of("PUT")),
            new Route("/v1/catalog/deregister", List.of("PUT")),
            new Route("/v1/catalog/datacenters", List.of("GET")),
            new Route("/v1/catalog/nodes", List.of("GET")),
            new Route("/v1/catalog/services", List.of("GET")),
            new Route("/v1/catalog/service/", List.of("GET")),
            new Route("/v1/catalog/node/", List.of("GET")),
            new Route("/v1/health/node/", List.of("GET")),
            new Route("/v1/health/checks/", List.of("GET")),
            new Route("/v1/health/service/", List.of("GET")),
            new Route("/v1/health/state/", List.of("GET")),
            new Route("/v1/event/fire/", List.of("PUT")),
            new Route("/v1/event/list", List.of("GET")),
            new Route("/v1/kv/", List.of("GET", "PUT", "DELETE")),
            new Route("/v1/operator/keyring", List.of("GET", "POST", "PUT", "DELETE")),
            new Route("/v1/status/leader", List.of("GET")),
            new Route("/v1/status/peers", List.of("GET")));

    private Routes() {
    }

    /** The route serving {@code path} (already percent-decoded), or {@code null}. */
    public static Route match(String path) {
        Route best = null;
        for (Route r : ALL) {
            if (r.subtree() ? path.startsWith(r.pattern()) : path.equals(r.pattern())) {
                if (best == null || r.pattern().length() > best.pattern().length()) {
                    best = r;
                }
            }
        }
        return best;
    }

    /** The subtree {@code path} names without its trailing slash (Go redirects those), or {@code null}. */
    public static Route subtreeRoot(String path) {
        for (Route r : ALL) {
            if (r.subtree() && r.pattern().equals(path + "/")) {
                return r;
            }
        }
        return null;
    }
}
