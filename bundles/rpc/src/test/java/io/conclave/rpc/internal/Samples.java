package io.conclave.rpc.internal;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.catalog.Weights;
import io.conclave.api.kv.KvEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Records with every field set to something other than its default, so a lost field shows. */
final class Samples {

    private Samples() {
    }

    static final Node NODE = new Node("5a9b3c1e-0000-4000-8000-000000000001", "node-1", "10.0.0.1", "dc1",
            Map.of("lan", "10.0.0.1", "wan", "198.51.100.1"), Map.of("rack", "r1", "zone", "z\u00e9"), 3, 9);

    static final Node OTHER_NODE = new Node("", "node-2", "10.0.0.2", "dc1", Map.of(), Map.of("rack", "r2"), 4, 4);

    static final NodeService WEB = new NodeService("", "web-1", "web", List.of("v1", "primary"), "10.0.0.5",
            Map.of("lan", new ServiceAddress("10.0.0.5", 8080), "wan", new ServiceAddress("198.51.100.5", 80)),
            Map.of("version", "1.2"), 8080, new Weights(10, 2), true, 5, 11);

    static final HealthCheck WEB_CHECK = new HealthCheck("node-1", "service:web-1", "web alive", "warning",
            "notes here", "HTTP 429", "web-1", "web", List.of("v1", "primary"), "http",
            new CheckDefinition("http://10.0.0.5:8080/health", "web.local", true,
                    Map.of("X-Token", List.of("a", "b")), "POST", "{}", "", Duration.ofSeconds(10),
                    Duration.ofMillis(1500), Duration.ofMinutes(90)),
            6, 12);

    static final HealthCheck SERF = new HealthCheck("node-1", "serfHealth", "Serf Health Status", "passing", "",
            "Agent alive and reachable", "", "", List.of(), "", null, 3, 3);

    /** A lone surrogate and a NUL: strings must survive exactly, as they do locally. */
    static final String ODD_KEY = "odd/\ud800key\u0000\u00fc";

    static final KvEntry ENTRY = new KvEntry("app/color", 4, 8, 1, 42,
            "blue".getBytes(StandardCharsets.UTF_8), "sess-1");

    static final KvEntry EMPTY_ENTRY = new KvEntry("app/empty", 5, 5, 0, 0, null, null);

    static final ServiceInstance INSTANCE = new ServiceInstance(NODE, WEB);

    static final CheckServiceNode CHECK_SERVICE_NODE = new CheckServiceNode(NODE, WEB, List.of(SERF, WEB_CHECK));

    static final NodeServices NODE_SERVICES = new NodeServices(NODE, Map.of("web-1", WEB));
}
