package io.conclave.http.internal.filter;

import static io.conclave.http.internal.filter.Field.BOOL;
import static io.conclave.http.internal.filter.Field.INT;
import static io.conclave.http.internal.filter.Field.OPAQUE;
import static io.conclave.http.internal.filter.Field.STRING;
import static io.conclave.http.internal.filter.Field.listOf;
import static io.conclave.http.internal.filter.Field.mapOf;
import static io.conclave.http.internal.filter.Field.struct;

/**
 * The filterable shape of Consul's catalog types ({@code agent/structs/structs.go}, Consul 1.9): every
 * exported field except those tagged {@code bexpr:"-"} (the raft indexes, a check's {@code Definition},
 * the enterprise metadata, a connect sidecar's nested definition). These are the selectors
 * {@code ?filter=} accepts; the JSON an endpoint answers with carries the values.
 */
public final class ConsulTypes {

    private ConsulTypes() {
    }

    static final Field MESH_GATEWAY = struct("Mode", STRING);

    static final Field UPSTREAM = struct(
            "DestinationType", STRING, "DestinationNamespace", STRING, "DestinationName", STRING,
            "Datacenter", STRING, "LocalBindAddress", STRING, "LocalBindPort", INT,
            "Config", mapOf(OPAQUE), "MeshGateway", MESH_GATEWAY);

    static final Field EXPOSE_PATH = struct(
            "ListenerPort", INT, "Path", STRING, "LocalPathPort", INT, "Protocol", STRING, "ParsedFromCheck", BOOL);

    /** {@code ConnectProxyConfig}. */
    static final Field PROXY = struct(
            "DestinationServiceName", STRING, "DestinationServiceID", STRING, "LocalServiceAddress", STRING,
            "LocalServicePort", INT, "Config", mapOf(OPAQUE), "Upstreams", listOf(UPSTREAM),
            "MeshGateway", MESH_GATEWAY, "Expose", struct("Checks", BOOL, "Paths", listOf(EXPOSE_PATH)));

    /** {@code ServiceConnect} ({@code SidecarService} is {@code bexpr:"-"}). */
    static final Field CONNECT = struct("Native", BOOL);

    static final Field WEIGHTS = struct("Passing", INT, "Warning", INT);

    static final Field SERVICE_ADDRESS = struct("Address", STRING, "Port", INT);

    /** {@code structs.Node}: the items of {@code /v1/catalog/nodes}. */
    public static final Field NODE = struct(
            "ID", STRING, "Node", STRING, "Address", STRING, "Datacenter", STRING,
            "TaggedAddresses", mapOf(STRING), "Meta", mapOf(STRING));

    /** {@code structs.NodeService}: the values of {@code /v1/catalog/node/:node}'s Services. */
    public static final Field NODE_SERVICE = struct(
            "Kind", STRING, "ID", STRING, "Service", STRING, "Tags", listOf(STRING), "Address", STRING,
            "TaggedAddresses", mapOf(SERVICE_ADDRESS), "Meta", mapOf(STRING), "Port", INT, "Weights", WEIGHTS,
            "EnableTagOverride", BOOL, "Proxy", PROXY, "Connect", CONNECT);

    /** {@code structs.ServiceNode}: the items of {@code /v1/catalog/service/:service}. */
    public static final Field SERVICE_NODE = struct(
            "ID", STRING, "Node", STRING, "Address", STRING, "Datacenter", STRING,
            "TaggedAddresses", mapOf(STRING), "NodeMeta", mapOf(STRING), "ServiceKind", STRING,
            "ServiceID", STRING, "ServiceName", STRING, "ServiceTags", listOf(STRING), "ServiceAddress", STRING,
            "ServiceTaggedAddresses", mapOf(SERVICE_ADDRESS), "ServiceWeights", WEIGHTS,
            "ServiceMeta", mapOf(STRING), "ServicePort", INT, "ServiceEnableTagOverride", BOOL,
            "ServiceProxy", PROXY, "ServiceConnect", CONNECT);

    /** {@code structs.HealthCheck}: the items of the health check lists. */
    public static final Field HEALTH_CHECK = struct(
            "Node", STRING, "CheckID", STRING, "Name", STRING, "Status", STRING, "Notes", STRING,
            "Output", STRING, "ServiceID", STRING, "ServiceName", STRING, "ServiceTags", listOf(STRING),
            "Type", STRING);

    /** {@code structs.CheckServiceNode}: the items of {@code /v1/health/service/:service}. */
    public static final Field CHECK_SERVICE_NODE = struct(
            "Node", NODE, "Service", NODE_SERVICE, "Checks", listOf(HEALTH_CHECK));
}
