package io.conclave.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.http.internal.CatalogResource.Read;
import io.conclave.http.internal.filter.ConsulTypes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * {@code /v1/health/*}, following Consul's {@code agent/health_endpoint.go}: a node's checks, a service's
 * checks, a service's instances with their node and checks ({@code ?tag} repeatable, {@code ?passing}),
 * and the checks in a state. Every read answers the index headers, blocks on {@code ?index}, and takes
 * {@code ?node-meta} and {@code ?filter} like the catalog's ({@link CatalogResource.Read}).
 *
 * <p>A state that is not a check status is not refused: Consul answers {@code []} for it.
 */
@Path("v1/health")
public final class HealthResource {

    private final ApiContext api;

    public HealthResource(ApiContext api) {
        this.api = api;
    }

    @GET
    @Path("node/{rest: .*}")
    public void node(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Read read = Read.of(api, request, ConsulTypes.HEALTH_CHECK, "/v1/health/node/", "Missing node name");
        api.resumeWatched(async, request, read.options, api.agent().health().node(read.arg, read.options),
                result -> read.answer(result.meta(), CatalogResource.array(read.filter(checks(result.value())))));
    }

    @GET
    @Path("checks/{rest: .*}")
    public void checks(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Read read = Read.of(api, request, ConsulTypes.HEALTH_CHECK, "/v1/health/checks/", "Missing service name");
        api.resumeWatched(async, request, read.options,
                api.agent().health().checks(read.arg, read.nodeMeta, read.options),
                result -> read.answer(result.meta(), CatalogResource.array(read.filter(checks(result.value())))));
    }

    @GET
    @Path("state/{rest: .*}")
    public void state(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Read read = Read.of(api, request, ConsulTypes.HEALTH_CHECK, "/v1/health/state/", "Missing check state");
        api.resumeWatched(async, request, read.options,
                api.agent().health().state(read.arg, read.nodeMeta, read.options),
                result -> read.answer(result.meta(), CatalogResource.array(read.filter(checks(result.value())))));
    }

    /**
     * Instances with their checks. {@code ?passing} is presence-based ({@code ?passing}, {@code ?passing=1},
     * {@code ?passing=true}; {@code ?passing=false} keeps everything; anything else is a 400). As in Consul,
     * node-meta and the filter apply first and the passing filter last, in Consul's order-changing way.
     */
    @GET
    @Path("service/{rest: .*}")
    public void service(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Read read = Read.of(api, request, ConsulTypes.CHECK_SERVICE_NODE, "/v1/health/service/", "Missing service name");
        List<String> tags = CatalogResource.tags(read.query);
        boolean passing = passing(read.query);
        api.resumeWatched(async, request, read.options,
                api.agent().health().service(read.arg, tags, false, read.options), result -> {
                    List<JsonNode> items = new ArrayList<>();
                    for (CheckServiceNode c : result.value()) {
                        if (CatalogResource.satisfies(c.node(), read.nodeMeta)) {
                            items.add(CatalogJson.checkServiceNode(c));
                        }
                    }
                    items = read.filter(items);
                    if (passing) {
                        items = onlyPassing(items);
                    }
                    return read.answer(result.meta(), CatalogResource.array(items));
                });
    }

    /** Consul's {@code getBoolQueryParam}: absent is false, present and empty is true, else {@code strconv.ParseBool}. */
    static boolean passing(GoQuery query) {
        if (!query.has(Health.PASSING)) {
            return false;
        }
        return switch (query.get(Health.PASSING)) {
            case "", "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw HttpError.badRequest("Invalid value for ?passing");
        };
    }

    /** Consul's {@code filterNonPassing}: each dropped entry's place is taken by the last remaining one. */
    static List<JsonNode> onlyPassing(List<JsonNode> entries) {
        List<JsonNode> out = new ArrayList<>(entries);
        int n = out.size();
        outer:
        for (int i = 0; i < n; i++) {
            for (JsonNode check : out.get(i).path("Checks")) {
                if (!Health.PASSING.equals(check.path("Status").asText())) {
                    out.set(i, out.get(n - 1));
                    n--;
                    i--;
                    continue outer;
                }
            }
        }
        return new ArrayList<>(out.subList(0, n));
    }

    private static List<JsonNode> checks(List<HealthCheck> checks) {
        List<JsonNode> out = new ArrayList<>(checks.size());
        for (HealthCheck c : checks) {
            out.add(CatalogJson.check(c));
        }
        return out;
    }
}
