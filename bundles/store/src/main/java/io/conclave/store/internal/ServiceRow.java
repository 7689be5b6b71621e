package io.conclave.store.internal;

import io.conclave.api.catalog.NodeService;
import java.util.Objects;

/**
 * A row of the services table: a service instance and the node it is registered on (Consul stores a
 * {@code ServiceNode} whose node fields are blank and fills them in on the way out; this keeps only the
 * node's name, exactly as registered).
 */
record ServiceRow(String node, NodeService service) {
    ServiceRow {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(service, "service");
    }
}
