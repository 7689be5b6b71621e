package io.conclave.agent.internal;

import io.conclave.api.catalog.NodeService;
import java.util.List;

/** A validated service definition: the service as the agent shows it and its checks, IDs and names assigned. */
record ServiceDef(NodeService service, List<CheckDef> checks) {
    ServiceDef {
        checks = List.copyOf(checks);
    }

    String id() {
        return service.id();
    }
}
