package io.conclave.api.catalog;

import java.util.List;

/** One row of {@code /v1/health/service/:name}: the node, the service, and the node's and service's checks. */
public record CheckServiceNode(Node node, NodeService service, List<HealthCheck> checks) {
    public CheckServiceNode {
        checks = List.copyOf(checks);
    }
}
