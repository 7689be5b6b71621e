package io.conclave.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * {@code /v1/operator/keyring}, as Consul's {@code OperatorKeyringEndpoint}: GET lists the gossip keys of each
 * pool, POST installs, PUT uses and DELETE removes the key in the body ({@code {"Key": "..."}}). Any pool in
 * which a member failed makes the answer a 500 listing the failures, Consul's {@code keyringErrorsOrNil}.
 */
@Path("v1/operator/keyring")
public final class OperatorResource {

    private final ApiContext api;

    public OperatorResource(ApiContext api) {
        this.api = api;
    }

    /** Consul's {@code structs.KeyringResponse} as its HTTP API writes it. */
    @JsonPropertyOrder({"WAN", "Datacenter", "Segment", "Messages", "Keys", "NumNodes"})
    record KeyringJson(@JsonProperty("WAN") boolean wan,
                       @JsonProperty("Datacenter") String datacenter,
                       @JsonProperty("Segment") String segment,
                       @JsonProperty("Messages") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> messages,
                       @JsonProperty("Keys") Map<String, Integer> keys,
                       @JsonProperty("NumNodes") int numNodes) {

        static KeyringJson of(KeyringResponse r) {
            return new KeyringJson(r.wan(), r.datacenter(), "", new TreeMap<>(r.messages()), new TreeMap<>(r.keys()),
                    r.numNodes());
        }
    }

    @GET
    public void list(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Args args = Args.parse(request, false);
        boolean pretty = api.pretty(args.query);
        run(async, KeyringOperation.LIST, null, responses -> {
            List<KeyringJson> out = new ArrayList<>();
            for (KeyringResponse r : responses) {
                if (!(args.localOnly && r.wan())) {
                    out.add(KeyringJson.of(r));
                }
            }
            return Meta.json(Response.ok(), out, pretty).build();
        });
    }

    @POST
    public void install(@Context ContainerRequest request, @Suspended AsyncResponse async) throws IOException {
        Args args = Args.parse(request, true);
        run(async, KeyringOperation.INSTALL, args.key, responses -> AgentCalls.ok());
    }

    @PUT
    public void use(@Context ContainerRequest request, @Suspended AsyncResponse async) throws IOException {
        Args args = Args.parse(request, true);
        run(async, KeyringOperation.USE, args.key, responses -> AgentCalls.ok());
    }

    @DELETE
    public void remove(@Context ContainerRequest request, @Suspended AsyncResponse async) throws IOException {
        Args args = Args.parse(request, true);
        run(async, KeyringOperation.REMOVE, args.key, responses -> AgentCalls.ok());
    }

    private void run(AsyncResponse async, KeyringOperation operation, String key,
                     java.util.function.Function<List<KeyringResponse>, Response> render) {
        CompletionStage<List<KeyringResponse>> stage = AgentCalls.get(() -> api.agent().keyring(operation, key));
        api.resume(async, stage.handle((responses, failure) -> {
            if (failure != null) {
                return ErrorMapper.plain(500, AgentResource.message(failure));
            }
            String errors = errors(responses);
            return errors != null ? ErrorMapper.plain(500, errors) : render.apply(responses);
        }), answer -> answer);
    }

    /**
     * Consul's {@code keyringErrorsOrNil} as go-multierror words it: per failing pool {@code <dc> (LAN) error: ...}
     * or {@code WAN error: ...} (serf's {@code N/M nodes reported failure}), then each member's message.
     */
    static String errors(List<KeyringResponse> responses) {
        List<String> errors = new ArrayList<>();
        for (KeyringResponse r : responses) {
            if (r.numErr() == 0) {
                continue;
            }
            String pool = r.wan() ? "WAN" : r.datacenter() + " (LAN)";
            errors.add(pool + " error: " + r.numErr() + "/" + r.numNodes() + " nodes reported failure");
            for (Map.Entry<String, String> m : new TreeMap<>(r.messages()).entrySet()) {
                errors.add(m.getKey() + ": " + m.getValue());
            }
        }
        if (errors.isEmpty()) {
            return null;
        }
        if (errors.size() == 1) {
            return "1 error occurred:\n\t* " + errors.get(0) + "\n\n";
        }
        return errors.size() + " errors occurred:\n\t* " + String.join("\n\t* ", errors) + "\n\n";
    }

    /** Consul's {@code keyringArgs}: the body's {@code Key}, then {@code relay-factor} and {@code local-only}. */
    private record Args(GoQuery query, String key, boolean localOnly) {

        static Args parse(ContainerRequest request, boolean withBody) {
            GoQuery query = StatusResource.query(request);
            String key = null;
            if (withBody) {
                Map<String, Object> body;
                try {
                    body = AgentCalls.body(request, "agent.keyringArgs");
                } catch (IOException e) {
                    throw HttpError.badRequest("Request decode failed: " + e.getMessage());
                }
                Object k = AgentCalls.field(body, "Key");
                if (k != null && !(k instanceof String)) {
                    String kind = k instanceof Number ? "number" : k instanceof Boolean ? "bool"
                            : k instanceof List ? "array" : "object";
                    throw HttpError.badRequest("Request decode failed: json: cannot unmarshal " + kind
                            + " into Go struct field keyringArgs.Key of type string");
                }
                key = k == null ? "" : (String) k;
            }
            String relay = query.get("relay-factor");
            if (!relay.isEmpty()) {
                int n;
                try {
                    n = Integer.parseInt(relay);
                } catch (NumberFormatException e) {
                    throw HttpError.badRequest("Error parsing relay factor: strconv.Atoi: parsing "
                            + GoText.quote(relay) + ": invalid syntax");
                }
                if (n < 0 || n > 5) {
                    throw HttpError.badRequest("Invalid relay-factor: Relay factor must be in range: [0, 5]");
                }
            }
            boolean localOnly = false;
            String rawLocal = query.get("local-only");
            if (!rawLocal.isEmpty()) {
                Boolean parsed = AgentCalls.parseBool(rawLocal);
                if (parsed == null) {
                    throw HttpError.badRequest("Error parsing local-only: strconv.ParseBool: parsing "
                            + GoText.quote(rawLocal) + ": invalid syntax");
                }
                localOnly = parsed;
                if (localOnly && !request.getMethod().equals("GET")) {
                    throw HttpError.badRequest("Invalid use of local-only: local-only can only be set for list requests");
                }
            }
            return new Args(query, key, localOnly);
        }
    }
}
