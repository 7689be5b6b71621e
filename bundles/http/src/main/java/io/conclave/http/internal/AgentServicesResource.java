package io.conclave.http.internal;

import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.NodeService;
import io.conclave.http.internal.filter.ConsulTypes;
import io.conclave.http.internal.filter.Field;
import io.conclave.http.internal.filter.Filter;
import io.conclave.http.internal.filter.FilterException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * The agent's services ({@code agent/agent_endpoint.go}): {@code /v1/agent/services},
 * {@code /v1/agent/service/:id}, {@code /v1/agent/service/register}, {@code .../deregister/:id},
 * {@code .../maintenance/:id}, and {@code /v1/agent/health/service/name/:name} and {@code .../id/:id}.
 * IDs are taken from the percent-decoded path, so they may hold {@code /}. {@code filter} is go-bexpr over
 * {@code AgentService} (and {@code HealthCheck} for checks), as Consul's.
 */
public final class AgentServicesResource {

    private AgentServicesResource() {
    }

    /** The root resources to register. */
    static Object[] all(ApiContext api) {
        return new Object[] {new Services(api), new Service(api), new ServiceHealth(api)};
    }

    /** The {@code filter} expression compiled for items of {@code type}; null without one. */
    static Filter filter(GoQuery query, Field type) {
        try {
            return Filter.compile(query.get("filter"), type);
        } catch (FilterException e) {
            throw HttpError.badRequest("Failed to create boolean expression evaluator: " + e.getMessage());
        }
    }

    /** Whether {@code view} passes {@code filter}, judged on its JSON as answered (go-bexpr over Consul's struct). */
    static boolean passes(Filter filter, Object view) {
        if (filter == null) {
            return true;
        }
        try {
            return filter.matches(Json.mapper().valueToTree(view));
        } catch (FilterException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    @Path("v1/agent/services")
    public static final class Services {
        private final ApiContext api;

        Services(ApiContext api) {
            this.api = api;
        }

        @GET
        public Response list(@Context ContainerRequest request) {
            GoQuery query = AgentCalls.query(request);
            Filter filter = filter(query, ConsulTypes.NODE_SERVICE);
            String dc = api.agent().identity().datacenter();
            Map<String, AgentJson.Service> out = new TreeMap<>();
            for (NodeService s : api.agent().services().values()) {
                AgentJson.Service view = AgentJson.service(s, dc);
                if (passes(filter, view)) {
                    out.put(s.id(), view);
                }
            }
            return Meta.json(Response.ok(), out, api.pretty(query)).build();
        }
    }

    @Path("v1/agent/service")
    public static final class Service {
        static final String PREFIX = "/v1/agent/service/";
        private final ApiContext api;

        Service(ApiContext api) {
            this.api = api;
        }

        /**
         * One service, with its {@code ContentHash} in the body and {@code X-Consul-ContentHash}. A request
         * whose {@code hash} is still current waits (without a thread) for its {@code wait}, capped below the
         * connection idle timeout, then answers afresh: local state changes do not wake it early yet.
         */
        @GET
        @Path("{id: .*}")
        public void get(@Context ContainerRequest request, @Suspended AsyncResponse async) {
            GoQuery query = AgentCalls.query(request);
            ReadOptions read = ReadOptions.parse(query, request.getHeaderString("Cache-Control"));
            String id = AgentCalls.after(request, PREFIX);
            boolean pretty = api.pretty(query);
            Response now = answer(id, pretty);
            String hash = query.get("hash");
            if (hash.isEmpty() || !hash.equals(now.getHeaderString("X-Consul-ContentHash"))) {
                async.resume(now);
                return;
            }
            Duration wait = read.toQueryOptions(api.stagger()).maxWait();
            Duration cap = api.settings().idleTimeout().minusSeconds(1);
            if (cap.compareTo(Duration.ofSeconds(1)) < 0) {
                cap = Duration.ofSeconds(1);
            }
            if (wait.compareTo(cap) > 0) {
                wait = cap;
            }
            async.setTimeoutHandler(r -> {
                try {
                    r.resume(answer(id, pretty));
                } catch (RuntimeException e) {
                    r.resume(e);
                }
            });
            async.setTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        private Response answer(String id, boolean pretty) {
            Optional<NodeService> service = api.agent().service(id);
            if (service.isEmpty()) {
                throw new HttpError(404, "unknown service ID: " + id);
            }
            AgentJson.Service view = AgentJson.service(service.get(), api.agent().identity().datacenter());
            String hash = AgentJson.contentHash(view);
            return Meta.json(Response.ok(), view.withContentHash(hash), pretty)
                    .header("X-Consul-ContentHash", hash).build();
        }

        @PUT
        @Path("{op: .*}")
        public Response put(@Context ContainerRequest request) throws IOException {
            GoQuery query = AgentCalls.query(request);
            String op = AgentCalls.after(request, PREFIX);
            if (op.equals("register")) {
                Map<String, Object> body = AgentCalls.body(request, "structs.ServiceDefinition");
                boolean replace = query.has("replace-existing-checks")
                        && (query.get("replace-existing-checks").isEmpty() || query.get("replace-existing-checks").equals("true"));
                AgentCalls.run(() -> api.agent().registerService(body, replace));
            } else if (op.startsWith("deregister/")) {
                String id = op.substring("deregister/".length());
                AgentCalls.run(() -> api.agent().deregisterService(id));
            } else if (op.startsWith("maintenance/")) {
                String id = op.substring("maintenance/".length());
                if (id.isEmpty()) {
                    throw HttpError.badRequest("Missing service ID");
                }
                boolean enable = AgentCalls.enable(query);
                String reason = query.get("reason");
                AgentCalls.run(() -> api.agent().setServiceMaintenance(id, enable, reason));
            } else {
                throw HttpError.methodNotAllowed("PUT", List.of("GET"));
            }
            return AgentCalls.ok();
        }
    }

    /** Consul's {@code AgentHealthServiceByName} and {@code AgentHealthServiceByID}. */
    @Path("v1/agent/health/service")
    public static final class ServiceHealth {
        static final String PREFIX = "/v1/agent/health/service/";
        private final ApiContext api;

        ServiceHealth(ApiContext api) {
            this.api = api;
        }

        @GET
        @Path("{rest: .*}")
        public Response get(@Context ContainerRequest request) {
            GoQuery query = AgentCalls.query(request);
            String rest = AgentCalls.after(request, PREFIX);
            boolean text = textPlain(request, query);
            boolean pretty = api.pretty(query);
            if (rest.startsWith("id/")) {
                return byId(rest.substring(3), text, pretty);
            }
            if (rest.startsWith("name/")) {
                return byName(rest.substring(5), text, pretty);
            }
            throw new HttpError(404, "Invalid URL path: not a recognized HTTP API endpoint\n");
        }

        private Response byId(String id, boolean text, boolean pretty) {
            if (id.isEmpty()) {
                throw HttpError.badRequest("Missing serviceID");
            }
            Optional<NodeService> service = api.agent().service(id);
            if (service.isEmpty()) {
                String reason = "ServiceId " + id + " not found";
                if (text) {
                    return plain(404, reason);
                }
                return Meta.json(Response.status(404), new AgentJson.ServiceHealth(Health.CRITICAL, null, null), pretty)
                        .build();
            }
            AgentJson.ServiceHealth health = health(service.get(), api.agent().checks().values());
            int code = code(health.aggregatedStatus());
            if (text) {
                return plain(code, health.aggregatedStatus());
            }
            return Meta.json(Response.status(code), health, pretty).build();
        }

        private Response byName(String name, boolean text, boolean pretty) {
            if (name.isEmpty()) {
                throw HttpError.badRequest("Missing service Name");
            }
            Collection<HealthCheck> checks = api.agent().checks().values();
            int code = 404;
            String status = "ServiceName " + name + " Not Found";
            List<AgentJson.ServiceHealth> result = new ArrayList<>();
            for (NodeService s : api.agent().services().values()) {
                if (!s.service().equals(name)) {
                    continue;
                }
                AgentJson.ServiceHealth health = health(s, checks);
                result.add(health);
                int scode = code(health.aggregatedStatus());
                // The worst wins: passing 200 < warning 429 < critical 503.
                if (code == 404 || code < scode) {
                    code = scode;
                    status = health.aggregatedStatus();
                }
            }
            if (text) {
                return plain(code, status);
            }
            return Meta.json(Response.status(code), result, pretty).build();
        }

        /** The service's own checks and the node's, aggregated as Consul's {@code AggregatedStatus}. */
        private AgentJson.ServiceHealth health(NodeService s, Collection<HealthCheck> all) {
            List<HealthCheck> checks = new ArrayList<>();
            for (HealthCheck c : all) {
                if (c.serviceId().equals(s.id()) || c.serviceId().isEmpty()) {
                    checks.add(c);
                }
            }
            return new AgentJson.ServiceHealth(Health.aggregate(checks),
                    AgentJson.service(s, api.agent().identity().datacenter()),
                    checks.stream().map(AgentJson::check).toList());
        }

        private static int code(String aggregated) {
            return switch (aggregated) {
                case Health.PASSING -> 200;
                case Health.WARNING -> 429;
                default -> 503;
            };
        }

        /** Consul's {@code returnTextPlain}: an {@code Accept} starting with text/plain, or {@code format=text}. */
        private static boolean textPlain(ContainerRequest request, GoQuery query) {
            String accept = request.getHeaderString("Accept");
            if (accept != null && accept.startsWith("text/plain")) {
                return true;
            }
            return query.get("format").equals("text");
        }

        private static Response plain(int code, String body) {
            return Response.status(code).entity(AgentJson.utf8(body)).type("text/plain").build();
        }
    }
}
