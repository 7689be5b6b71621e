package io.conclave.api.catalog;

import java.util.Map;

/** {@code /v1/catalog/node/:node}: a node and its services by ID. */
public record NodeServices(Node node, Map<String, NodeService> services) {
    public NodeServices {
        services = Map.copyOf(services);
    }
}
