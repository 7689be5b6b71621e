package io.conclave.http.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.conclave.api.gossip.UserEvent;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * {@code /v1/event/fire/<name>} and {@code /v1/event/list}, as Consul's {@code agent/event_endpoint.go}: firing
 * answers the event sent (any refusal is a 500, as Consul's handler writes it), listing answers the events this
 * agent kept, oldest first, and blocks while the newest one's index equals {@code index}.
 */
@Path("v1/event")
public final class EventResource {

    /** The largest payload read; the gossip layer refuses far smaller ones (Serf's user event size limit). */
    static final long MAX_PAYLOAD = AgentCalls.MAX_BODY;

    private final ApiContext api;

    public EventResource(ApiContext api) {
        this.api = api;
    }

    /** Consul's {@code UserEvent} as JSON: the payload as base64 ({@code null} when there was none). */
    @JsonPropertyOrder({"ID", "Name", "Payload", "NodeFilter", "ServiceFilter", "TagFilter", "Version", "LTime"})
    record EventJson(@JsonProperty("ID") String id,
                     @JsonProperty("Name") String name,
                     @JsonProperty("Payload") byte[] payload,
                     @JsonProperty("NodeFilter") String nodeFilter,
                     @JsonProperty("ServiceFilter") String serviceFilter,
                     @JsonProperty("TagFilter") String tagFilter,
                     @JsonProperty("Version") int version,
                     @JsonProperty("LTime") long ltime) {

        static EventJson of(UserEvent e) {
            return new EventJson(e.id(), e.name(), e.payload(), nullToEmpty(e.nodeFilter()),
                    nullToEmpty(e.serviceFilter()), nullToEmpty(e.tagFilter()), e.version(), e.ltime());
        }

        private static String nullToEmpty(String s) {
            return s == null ? "" : s;
        }
    }

    @PUT
    @Path("fire/{name: .*}")
    public Response fire(@Context ContainerRequest request) throws IOException {
        GoQuery query = StatusResource.query(request);
        String dc = query.get("dc");
        String name = AgentCalls.after(request, "/v1/event/fire/");
        if (name.isEmpty()) {
            throw HttpError.badRequest("Missing name");
        }
        byte[] payload;
        try {
            payload = Bodies.read(request.getEntityStream(), request.getLength(), MAX_PAYLOAD);
        } catch (Bodies.TooLarge e) {
            throw new HttpError(413, "Request body(" + e.size() + " bytes) too large, max size: " + MAX_PAYLOAD
                    + " bytes");
        }
        api.checkDatacenter(dc);
        UserEvent sent;
        try {
            sent = api.agent().fireEvent(name, payload.length == 0 ? null : payload, query.get("node"),
                    query.get("service"), query.get("tag"));
        } catch (RuntimeException e) {
            // Consul's EventFire answers every refusal of the agent's UserEvent, validation included, with a 500.
            throw new HttpError(500, AgentResource.message(e));
        }
        return Meta.json(Response.ok(), EventJson.of(sent), api.pretty(query)).build();
    }

    /**
     * Consul's {@code EventList}. Only {@code wait} and {@code index} are read of the blocking options (its
     * {@code parseWait}); with an index, no or a non-positive wait and one over 10 minutes mean 10 minutes, without
     * jitter. {@code node}, {@code service} and {@code tag} are accepted and, as in Consul, not applied: the
     * agent filtered events against itself when they arrived.
     */
    @GET
    @Path("list")
    public void list(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        GoQuery query = StatusResource.query(request);
        Duration wait = ReadOptions.parseWait(query);
        long index = ReadOptions.parseIndex(query);
        if (wait == null || wait.toNanos() <= 0 || wait.compareTo(QueryOptions.MAX_WAIT) > 0) {
            wait = QueryOptions.MAX_WAIT;
        }
        // The agent compares indexes in 63 bits (a QueryMeta index is signed); the top bit of the full
        // uuidToUint64 value a client sends back cannot change which event is the newest.
        QueryOptions options = new QueryOptions(null, index & Long.MAX_VALUE, wait, Consistency.DEFAULT);
        String name = query.get("name");
        boolean pretty = api.pretty(query);
        api.resumeWatched(async, request, options, AgentCalls.get(() -> api.agent().events(name, options)), result -> {
            List<UserEvent> events = result.value() == null ? List.of() : result.value();
            return Meta.json(Response.ok(), events.stream().map(EventJson::of).toList(), pretty)
                    .header("X-Consul-Index", Long.toUnsignedString(index(events, result.meta().index())))
                    .build();
        });
    }

    /**
     * Consul's index for a list of events: {@code uuidToUint64} of the newest event's ID, all 64 bits (Consul's
     * {@code watch} compares it with {@code IDToIndex} of each event); the agent's own index when there is none or
     * the ID is not a UUID (a plain Serf event).
     */
    static long index(List<UserEvent> events, long agentIndex) {
        if (events.isEmpty()) {
            return Math.max(1, agentIndex);
        }
        String id = events.get(events.size() - 1).id();
        if (id == null || id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-'
                || id.charAt(23) != '-') {
            return Math.max(1, agentIndex);
        }
        try {
            long full = Long.parseUnsignedLong(id.substring(0, 8) + id.substring(9, 13) + id.substring(14, 18), 16)
                    ^ Long.parseUnsignedLong(id.substring(19, 23) + id.substring(24, 36), 16);
            return full == 0 ? 1 : full;
        } catch (NumberFormatException e) {
            return Math.max(1, agentIndex);
        }
    }
}
