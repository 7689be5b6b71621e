package io.conclave.api.catalog;

import java.util.List;
import java.util.Objects;

/**
 * Consul's {@code RegisterRequest} ({@code PUT /v1/catalog/register}, and what anti-entropy sends):
 * upsert the node, then optionally one service and its checks, as one transaction.
 *
 * @param service         the service to upsert, or {@code null}
 * @param checks          checks to upsert (node-level when their serviceId is "")
 * @param skipNodeUpdate  leave an existing node row as it is (anti-entropy syncing only a service)
 */
public record RegisterRequest(Node node, NodeService service, List<HealthCheck> checks, boolean skipNodeUpdate) {
    public RegisterRequest {
        Objects.requireNonNull(node, "node");
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
