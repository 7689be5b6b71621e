package io.conclave.http.internal;

import io.conclave.api.consensus.ConsensusStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * {@code /v1/status/leader} and {@code /v1/status/peers} ({@code agent/status_endpoint.go}): they run
 * the common option parsing (so a bad {@code index} is still a 400) but set no query-meta headers.
 */
@Path("v1/status")
public final class StatusResource {

    private final ApiContext api;

    public StatusResource(ApiContext api) {
        this.api = api;
    }

    @GET
    @Path("leader")
    public Response leader(@Context ContainerRequest request) {
        ConsensusStatus status = status(request);
        return Meta.json(Response.ok(), status.leader(), pretty(request)).build();
    }

    @GET
    @Path("peers")
    public Response peers(@Context ContainerRequest request) {
        ConsensusStatus status = status(request);
        return Meta.json(Response.ok(), status.peers(), pretty(request)).build();
    }

    private ConsensusStatus status(ContainerRequest request) {
        ReadOptions read = ReadOptions.parse(query(request), request.getHeaderString("Cache-Control"));
        api.checkDatacenter(read.datacenter());
        return api.agent().status();
    }

    private boolean pretty(ContainerRequest request) {
        return api.pretty(query(request));
    }

    static GoQuery query(ContainerRequest request) {
        GoQuery query = (GoQuery) request.getProperty(GoQuery.ATTRIBUTE);
        return query != null ? query : GoQuery.parse(RoutingFilter.rawQuery(request));
    }
}
