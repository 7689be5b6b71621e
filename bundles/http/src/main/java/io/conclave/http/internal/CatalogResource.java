package io.conclave.http.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.catalog.Weights;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.time.GoDuration;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * {@code /v1/catalog/*}, following Consul's {@code agent/catalog_endpoint.go}: register and deregister
 * (bodies decoded as Go decodes them: field names case-insensitively, and here also in snake_case),
 * datacenters, nodes, services, service instances and a node's services, each read answering
 * {@code X-Consul-Index}, {@code X-Consul-KnownLeader} and {@code X-Consul-LastContact}, blocking on
 * {@code ?index}, and narrowed by {@code ?node-meta=k:v} (repeatable, all must hold) and {@code ?filter}.
 *
 * <p>Deviations, each deliberate: a {@code ?filter} that does not compile is a 400 here (Consul answers
 * 500 with the same text, the error having come back from its server RPC); {@code /v1/catalog/services}
 * ignores {@code ?filter} as Consul 1.9 does.
 */
@Path("v1/catalog")
public final class CatalogResource {

    /** Register and deregister bodies; Consul sets no limit of its own. */
    static final long MAX_BODY = 1024 * 1024;

    private final ApiContext api;

    public CatalogResource(ApiContext api) {
        this.api = api;
    }

    // ---- writes ----

    @PUT
    @Path("register")
    public void register(@Context ContainerRequest request, @Suspended AsyncResponse async) throws IOException {
        GoQuery query = query(request);
        JsonNode body = body(request);
        String dc = Decode.string(body, "Datacenter", "RegisterRequest.Datacenter");
        if (dc.isEmpty()) {
            dc = api.agent().identity().datacenter();
        }
        RegisterRequest r = Decode.register(body, dc);
        api.checkDatacenter(dc);
        boolean pretty = api.pretty(query);
        api.resume(async, refusalsAs500(api.agent().catalog().register(r)), v -> Meta.json(Response.ok(), true, pretty).build());
    }

    @PUT
    @Path("deregister")
    public void deregister(@Context ContainerRequest request, @Suspended AsyncResponse async) throws IOException {
        GoQuery query = query(request);
        JsonNode body = body(request);
        String dc = Decode.string(body, "Datacenter", "DeregisterRequest.Datacenter");
        DeregisterRequest d = new DeregisterRequest(Decode.string(body, "Node", "DeregisterRequest.Node"),
                Decode.string(body, "ServiceID", "DeregisterRequest.ServiceID"),
                Decode.string(body, "CheckID", "DeregisterRequest.CheckID"));
        api.checkDatacenter(dc);
        boolean pretty = api.pretty(query);
        api.resume(async, refusalsAs500(api.agent().catalog().deregister(d)), v -> Meta.json(Response.ok(), true, pretty).build());
    }

    /**
     * A write the catalog refuses ({@code Must provide node}, {@code failed inserting check: Missing service
     * registration}, …) answers 500 with the reason, as Consul's RPC errors do, without being logged as a
     * server failure.
     */
    private static <T> java.util.concurrent.CompletionStage<T> refusalsAs500(java.util.concurrent.CompletionStage<T> stage) {
        return stage.handle((value, error) -> {
            if (error == null) {
                return value;
            }
            Throwable cause = ErrorMapper.unwrap(error);
            if (cause instanceof IllegalArgumentException) {
                throw new HttpError(500, String.valueOf(cause.getMessage()));
            }
            throw error instanceof java.util.concurrent.CompletionException ce ? ce
                    : new java.util.concurrent.CompletionException(error);
        });
    }

    // ---- reads ----

    /** Consul's {@code Catalog.ListDatacenters}: no blocking, no index. */
    @GET
    @Path("datacenters")
    public Response datacenters(@Context ContainerRequest request) {
        return Meta.json(Response.ok(), api.agent().catalog().datacenters(), api.pretty(query(request))).build();
    }

    @GET
    @Path("nodes")
    public void nodes(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Read read = Read.of(api, request, ConsulTypes.NODE);
        api.resumeWatched(async, request, read.options, api.agent().catalog().nodes(read.options), result -> {
            List<JsonNode> items = new ArrayList<>();
            for (Node n : result.value()) {
                if (satisfies(n, read.nodeMeta)) {
                    items.add(CatalogJson.node(n));
                }
            }
            return read.answer(result.meta(), array(read.filter(items)));
        });
    }

    @GET
    @Path("services")
    public void services(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Read read = Read.of(api, request, null);
        CatalogEndpoint catalog = api.agent().catalog();
        api.resumeWatched(async, request, read.options, catalog.services(read.nodeMeta, read.options), result -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            new TreeMap<>(result.value()).forEach((name, tags) -> o.set(name, CatalogJson.strings(tags)));
            return read.answer(result.meta(), o);
        });
    }

    @GET
    @Path("service/{rest: .*}")
    public void service(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Read read = Read.of(api, request, ConsulTypes.SERVICE_NODE, "/v1/catalog/service/", "Missing service name");
        List<String> tags = tags(read.query);
        String name = read.arg;
        api.resumeWatched(async, request, read.options, api.agent().catalog().service(name, tags, read.options),
                result -> {
                    List<JsonNode> items = new ArrayList<>();
                    for (ServiceInstance i : result.value()) {
                        if (satisfies(i.node(), read.nodeMeta)) {
                            items.add(CatalogJson.serviceNode(i));
                        }
                    }
                    return read.answer(result.meta(), array(read.filter(items)));
                });
    }

    /** An unknown node answers {@code null}, as Consul's does (its RPC leaves the reply nil). */
    @GET
    @Path("node/{rest: .*}")
    public void node(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        Read read = Read.of(api, request, ConsulTypes.NODE_SERVICE, "/v1/catalog/node/", "Missing node name");
        String node = read.arg;
        api.resumeWatched(async, request, read.options, api.agent().catalog().node(node, read.options), result -> {
            Optional<NodeServices> ns = result.value();
            if (ns.isEmpty()) {
                return read.answer(result.meta(), JsonNodeFactory.instance.nullNode());
            }
            ObjectNode services = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, NodeService> e : new TreeMap<>(ns.get().services()).entrySet()) {
                JsonNode s = CatalogJson.nodeService(e.getValue());
                if (read.passes(s)) {
                    services.set(e.getKey(), s);
                }
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("Node", CatalogJson.node(ns.get().node()));
            o.set("Services", services);
            return read.answer(result.meta(), o);
        });
    }

    // ---- shared by the catalog and health resources ----

    /**
     * What one read takes from its request, in Consul's order: {@code node-meta}, then {@code s.parse}'s
     * checks ({@link ReadOptions}), the datacenter, and the filter compiled against the item type before
     * anything is read (so a bad filter is refused at once).
     */
    static final class Read {
        final GoQuery query;
        final ReadOptions read;
        final QueryOptions options;
        final Map<String, String> nodeMeta;
        final Filter filter;
        final boolean pretty;
        /** What the path names after the prefix, percent-decoded ({@code ""} without one). */
        final String arg;

        private Read(GoQuery query, ReadOptions read, QueryOptions options, Map<String, String> nodeMeta,
                     Filter filter, boolean pretty, String arg) {
            this.query = query;
            this.read = read;
            this.options = options;
            this.nodeMeta = nodeMeta;
            this.filter = filter;
            this.pretty = pretty;
            this.arg = arg;
        }

        /** @param type the item type {@code ?filter} selects in, or {@code null} where Consul takes no filter */
        static Read of(ApiContext api, ContainerRequest request, Field type) {
            return of(api, request, type, null, null);
        }

        /**
         * For a read whose path names something ({@code /v1/catalog/service/<name>}): an empty name is a 400
         * with {@code missing}, checked after the options and before the datacenter, as Consul does.
         */
        static Read of(ApiContext api, ContainerRequest request, Field type, String prefix, String missing) {
            GoQuery query = query(request);
            Map<String, String> nodeMeta = nodeMeta(query);
            ReadOptions read = ReadOptions.parse(query, request.getHeaderString("Cache-Control"));
            String arg = prefix == null ? "" : after(request, prefix);
            if (prefix != null && arg.isEmpty()) {
                throw HttpError.badRequest(missing);
            }
            api.checkDatacenter(read.datacenter());
            Filter filter = null;
            if (type != null) {
                try {
                    filter = Filter.compile(query.get("filter"), type);
                } catch (FilterException e) {
                    throw HttpError.badRequest("Failed to create boolean expression evaluator: " + e.getMessage());
                }
            }
            return new Read(query, read, read.toQueryOptions(api.stagger()), nodeMeta, filter, api.pretty(query), arg);
        }

        List<JsonNode> filter(List<JsonNode> items) {
            if (filter == null) {
                return items;
            }
            try {
                return filter.apply(items);
            } catch (FilterException e) {
                throw HttpError.badRequest(e.getMessage());
            }
        }

        boolean passes(JsonNode item) {
            try {
                return filter == null || filter.matches(item);
            } catch (FilterException e) {
                throw HttpError.badRequest(e.getMessage());
            }
        }

        Response answer(io.conclave.api.query.QueryMeta meta, JsonNode body) {
            return Meta.json(Meta.apply(Response.ok(), meta, read), body, pretty).build();
        }
    }

    static GoQuery query(ContainerRequest request) {
        GoQuery query = (GoQuery) request.getProperty(GoQuery.ATTRIBUTE);
        return query != null ? query : GoQuery.parse(RoutingFilter.rawQuery(request));
    }

    /** The percent-decoded path after {@code prefix} (Consul's {@code strings.TrimPrefix(req.URL.Path, prefix)}). */
    static String after(ContainerRequest request, String prefix) {
        Object p = request.getProperty(RoutingFilter.PATH);
        String path = p != null ? p.toString() : RoutingFilter.decodePath(RoutingFilter.rawPath(request));
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    /** Consul's {@code parseMetaFilter}: each {@code node-meta=key:value} (a missing colon means an empty value). */
    static Map<String, String> nodeMeta(GoQuery query) {
        Map<String, String> meta = new LinkedHashMap<>();
        List<String> values = query.asMap().get("node-meta");
        if (values != null) {
            for (String kv : values) {
                int colon = kv.indexOf(':');
                meta.put(colon < 0 ? kv : kv.substring(0, colon), colon < 0 ? "" : kv.substring(colon + 1));
            }
        }
        return meta;
    }

    /** Every {@code tag} value (Consul's {@code params["tag"]}); none means no tag filter. */
    static List<String> tags(GoQuery query) {
        List<String> t = query.asMap().get("tag");
        return t == null ? List.of() : List.copyOf(t);
    }

    /** {@code structs.SatisfiesMetaFilters}. */
    static boolean satisfies(Node node, Map<String, String> nodeMeta) {
        for (Map.Entry<String, String> e : nodeMeta.entrySet()) {
            if (!e.getValue().equals(node.meta().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static ArrayNode array(List<JsonNode> items) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        a.addAll(items);
        return a;
    }

    private static JsonNode body(ContainerRequest request) throws IOException {
        byte[] bytes;
        try {
            bytes = Bodies.read(request.getEntityStream(), request.getLength(), MAX_BODY);
        } catch (Bodies.TooLarge e) {
            throw new HttpError(413, "Request body(" + e.size() + " bytes) too large, max size: " + MAX_BODY + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw HttpError.badRequest("Request decode failed: EOF");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw HttpError.badRequest("Request decode failed: " + e.getOriginalMessage());
        }
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw HttpError.badRequest("Request decode failed: json: cannot unmarshal " + Decode.goType(node)
                    + " into Go value of type structs.RegisterRequest");
        }
        return node;
    }

    /**
     * A register body as Go's {@code encoding/json} fills {@code structs.RegisterRequest}: a field name
     * matches case-insensitively (the last matching key wins), unknown fields are ignored, {@code null}
     * leaves a field empty, a value of the wrong JSON type is refused with Go's wording. Snake_case names
     * ({@code tagged_addresses}) are accepted too, as Consul's agent endpoints accept them. Durations in a
     * check definition are Go duration strings or nanoseconds.
     */
    static final class Decode {

        private Decode() {
        }

        static RegisterRequest register(JsonNode body, String dc) {
            Node node = new Node(string(body, "ID", "RegisterRequest.ID"), string(body, "Node", "RegisterRequest.Node"),
                    string(body, "Address", "RegisterRequest.Address"), dc,
                    stringMap(body, "TaggedAddresses", "RegisterRequest.TaggedAddresses"),
                    stringMap(body, "NodeMeta", "RegisterRequest.NodeMeta"), 0, 0);
            NodeService service = null;
            JsonNode s = object(body, "Service", "RegisterRequest.Service");
            if (s != null) {
                service = service(s);
            }
            List<HealthCheck> checks = new ArrayList<>();
            JsonNode list = field(body, "Checks");
            if (list != null && !list.isNull()) {
                if (!list.isArray()) {
                    throw mismatch(list, "RegisterRequest.Checks", "structs.HealthChecks");
                }
                for (JsonNode c : list) {
                    if (c.isNull()) {
                        continue;
                    }
                    if (!c.isObject()) {
                        throw mismatch(c, "RegisterRequest.Checks", "structs.HealthCheck");
                    }
                    checks.add(check(c));
                }
            }
            JsonNode single = object(body, "Check", "RegisterRequest.Check");
            if (single != null) {
                checks.add(check(single)); // Catalog.Register appends Check after Checks
            }
            return new RegisterRequest(node, service, checks, bool(body, "SkipNodeUpdate", "RegisterRequest.SkipNodeUpdate"));
        }

        private static NodeService service(JsonNode s) {
            Map<String, ServiceAddress> tagged = new LinkedHashMap<>();
            JsonNode ta = object(s, "TaggedAddresses", "NodeService.TaggedAddresses");
            if (ta != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = ta.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode a = e.getValue();
                    if (a.isNull()) {
                        tagged.put(e.getKey(), new ServiceAddress("", 0));
                        continue;
                    }
                    if (!a.isObject()) {
                        throw mismatch(a, "NodeService.TaggedAddresses", "structs.ServiceAddress");
                    }
                    tagged.put(e.getKey(), new ServiceAddress(string(a, "Address", "ServiceAddress.Address"),
                            integer(a, "Port", "ServiceAddress.Port")));
                }
            }
            Weights weights = null;
            JsonNode w = object(s, "Weights", "NodeService.Weights");
            if (w != null) {
                weights = new Weights(integer(w, "Passing", "Weights.Passing"), integer(w, "Warning", "Weights.Warning"));
            }
            return new NodeService(string(s, "Kind", "NodeService.Kind"), string(s, "ID", "NodeService.ID"),
                    string(s, "Service", "NodeService.Service"), strings(s, "Tags", "NodeService.Tags"),
                    string(s, "Address", "NodeService.Address"), tagged, stringMap(s, "Meta", "NodeService.Meta"),
                    integer(s, "Port", "NodeService.Port"), weights,
                    bool(s, "EnableTagOverride", "NodeService.EnableTagOverride"), 0, 0);
        }

        private static HealthCheck check(JsonNode c) {
            CheckDefinition def = CheckDefinition.EMPTY;
            JsonNode d = object(c, "Definition", "HealthCheck.Definition");
            if (d != null) {
                Map<String, List<String>> header = new LinkedHashMap<>();
                JsonNode h = object(d, "Header", "HealthCheckDefinition.Header");
                if (h != null) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        header.put(e.getKey(), stringList(e.getValue(), "HealthCheckDefinition.Header"));
                    }
                }
                def = new CheckDefinition(string(d, "HTTP", "HealthCheckDefinition.HTTP"),
                        string(d, "TLSServerName", "HealthCheckDefinition.TLSServerName"),
                        bool(d, "TLSSkipVerify", "HealthCheckDefinition.TLSSkipVerify"), header,
                        string(d, "Method", "HealthCheckDefinition.Method"), string(d, "Body", "HealthCheckDefinition.Body"),
                        string(d, "TCP", "HealthCheckDefinition.TCP"), duration(d, "Interval"), duration(d, "Timeout"),
                        duration(d, "DeregisterCriticalServiceAfter"));
            }
            return new HealthCheck(string(c, "Node", "HealthCheck.Node"), string(c, "CheckID", "HealthCheck.CheckID"),
                    string(c, "Name", "HealthCheck.Name"), string(c, "Status", "HealthCheck.Status"),
                    string(c, "Notes", "HealthCheck.Notes"), string(c, "Output", "HealthCheck.Output"),
                    string(c, "ServiceID", "HealthCheck.ServiceID"), string(c, "ServiceName", "HealthCheck.ServiceName"),
                    strings(c, "ServiceTags", "HealthCheck.ServiceTags"), string(c, "Type", "HealthCheck.Type"), def, 0, 0);
        }

        /** The field named {@code name} compared as Go does (case-insensitively), underscores ignored; the last one wins. */
        static JsonNode field(JsonNode obj, String name) {
            String want = fold(name);
            JsonNode found = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (fold(e.getKey()).equals(want)) {
                    found = e.getValue();
                }
            }
            return found;
        }

        private static String fold(String s) {
            return s.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        }

        static String string(JsonNode obj, String name, String goField) {
            JsonNode v = field(obj, name);
            if (v == null || v.isNull()) {
                return "";
            }
            if (!v.isTextual()) {
                throw mismatch(v, goField, "string");
            }
            return v.asText();
        }

        private static int integer(JsonNode obj, String name, String goField) {
            JsonNode v = field(obj, name);
            if (v == null || v.isNull()) {
                return 0;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                if (v.isNumber()) {
                    throw new HttpError(400, "Request decode failed: json: cannot unmarshal number " + v.asText()
                            + " into Go struct field " + goField + " of type int");
                }
                throw mismatch(v, goField, "int");
            }
            return v.intValue();
        }

        private static boolean bool(JsonNode obj, String name, String goField) {
            JsonNode v = field(obj, name);
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                throw mismatch(v, goField, "bool");
            }
            return v.asBoolean();
        }

        private static JsonNode object(JsonNode obj, String name, String goField) {
            JsonNode v = field(obj, name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isObject()) {
                throw mismatch(v, goField, "object");
            }
            return v;
        }

        private static Map<String, String> stringMap(JsonNode obj, String name, String goField) {
            JsonNode v = object(obj, name, goField);
            Map<String, String> m = new LinkedHashMap<>();
            if (v != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isNull()) {
                        m.put(e.getKey(), "");
                    } else if (!e.getValue().isTextual()) {
                        throw mismatch(e.getValue(), goField, "string");
                    } else {
                        m.put(e.getKey(), e.getValue().asText());
                    }
                }
            }
            return m;
        }

        private static List<String> strings(JsonNode obj, String name, String goField) {
            JsonNode v = field(obj, name);
            return v == null || v.isNull() ? List.of() : stringList(v, goField);
        }

        private static List<String> stringList(JsonNode v, String goField) {
            if (v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw mismatch(v, goField, "[]string");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (e.isNull()) {
                    out.add("");
                } else if (!e.isTextual()) {
                    throw mismatch(e, goField, "string");
                } else {
                    out.add(e.asText());
                }
            }
            return out;
        }

        /** {@code HealthCheckDefinition.UnmarshalJSON}: a Go duration string, or a number of nanoseconds. */
        private static Duration duration(JsonNode obj, String name) {
            JsonNode v = field(obj, name);
            if (v == null || v.isNull()) {
                return Duration.ZERO;
            }
            if (v.isNumber()) {
                return Duration.ofNanos(v.asLong());
            }
            if (v.isTextual()) {
                try {
                    return GoDuration.parse(v.asText());
                } catch (IllegalArgumentException e) {
                    throw new HttpError(400, "Request decode failed: " + e.getMessage());
                }
            }
            return Duration.ZERO;
        }

        private static HttpError mismatch(JsonNode v, String goField, String goType) {
            return new HttpError(400, "Request decode failed: json: cannot unmarshal " + goType(v)
                    + " into Go struct field " + goField + " of type " + goType);
        }

        /** The JSON kind as Go's {@code UnmarshalTypeError} names it. */
        static String goType(JsonNode v) {
            if (v.isTextual()) {
                return "string";
            }
            if (v.isNumber()) {
                return "number";
            }
            if (v.isBoolean()) {
                return "bool";
            }
            if (v.isArray()) {
                return "array";
            }
            return "object";
        }
    }
}
