package io.conclave.http.internal;

import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.http.internal.filter.ConsulTypes;
import io.conclave.http.internal.filter.Filter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * The agent's checks ({@code agent/agent_endpoint.go}): {@code /v1/agent/checks},
 * {@code /v1/agent/check/register}, {@code .../deregister/:id}, {@code .../pass|warn|fail/:id}
 * ({@code note} becomes the output) and {@code .../update/:id} (body {@code {Status, Output}}).
 */
public final class AgentChecksResource {

    private AgentChecksResource() {
    }

    static Object[] all(ApiContext api) {
        return new Object[] {new Checks(api), new Check(api)};
    }

    @Path("v1/agent/checks")
    public static final class Checks {
        private final ApiContext api;

        Checks(ApiContext api) {
            this.api = api;
        }

        @GET
        public Response list(@Context ContainerRequest request) {
            GoQuery query = AgentCalls.query(request);
            Filter filter = AgentServicesResource.filter(query, ConsulTypes.HEALTH_CHECK);
            Map<String, AgentJson.Check> out = new TreeMap<>();
            for (HealthCheck c : api.agent().checks().values()) {
                AgentJson.Check view = AgentJson.check(c);
                if (AgentServicesResource.passes(filter, view)) {
                    out.put(c.checkId(), view);
                }
            }
            return Meta.json(Response.ok(), out, api.pretty(query)).build();
        }
    }

    @Path("v1/agent/check")
    public static final class Check {
        static final String PREFIX = "/v1/agent/check/";
        private final ApiContext api;

        Check(ApiContext api) {
            this.api = api;
        }

        @PUT
        @Path("{op: .*}")
        public Response put(@Context ContainerRequest request) throws IOException {
            GoQuery query = AgentCalls.query(request);
            String op = AgentCalls.after(request, PREFIX);
            if (op.equals("register")) {
                Map<String, Object> body = AgentCalls.body(request, "structs.CheckDefinition");
                AgentCalls.run(() -> api.agent().registerCheck(body));
            } else if (op.startsWith("deregister/")) {
                String id = op.substring("deregister/".length());
                AgentCalls.run(() -> api.agent().deregisterCheck(id));
            } else if (op.startsWith("pass/")) {
                ttl(op.substring("pass/".length()), Health.PASSING, query.get("note"));
            } else if (op.startsWith("warn/")) {
                ttl(op.substring("warn/".length()), Health.WARNING, query.get("note"));
            } else if (op.startsWith("fail/")) {
                ttl(op.substring("fail/".length()), Health.CRITICAL, query.get("note"));
            } else if (op.startsWith("update/")) {
                String id = op.substring("update/".length());
                Map<String, Object> body = AgentCalls.body(request, "agent.checkUpdate");
                String status = string(AgentCalls.field(body, "Status"), "Status");
                String output = string(AgentCalls.field(body, "Output"), "Output");
                if (!Health.isStatus(status)) {
                    throw HttpError.badRequest("Invalid check status: '" + status + "'");
                }
                ttl(id, status, output);
            } else {
                throw HttpError.methodNotAllowed("PUT", List.of("GET"));
            }
            return AgentCalls.ok();
        }

        private void ttl(String id, String status, String output) {
            AgentCalls.run(() -> api.agent().updateCheck(id, status, output));
        }

        private static String string(Object value, String field) {
            if (value == null) {
                return "";
            }
            if (!(value instanceof String s)) {
                throw HttpError.badRequest("Request decode failed: json: cannot unmarshal "
                        + (value instanceof Number ? "number" : value instanceof Boolean ? "bool" : "object")
                        + " into Go struct field checkUpdate." + field + " of type string");
            }
            return s;
        }
    }
}
