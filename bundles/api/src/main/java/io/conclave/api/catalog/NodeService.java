package io.conclave.api.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A service instance on a node, Consul's {@code structs.NodeService} (also the agent's
 * {@code AgentService}).
 *
 * @param kind    "" for a typical service (mesh kinds are not supported yet)
 * @param address the service's own address, or "" to use the node's
 */
public record NodeService(String kind, String id, String service, List<String> tags, String address,
                          Map<String, ServiceAddress> taggedAddresses, Map<String, String> meta, int port,
                          Weights weights, boolean enableTagOverride, long createIndex, long modifyIndex) {
    public NodeService {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        kind = kind == null ? "" : kind;
        tags = tags == null ? List.of() : List.copyOf(tags);
        address = address == null ? "" : address;
        taggedAddresses = taggedAddresses == null ? Map.of() : Map.copyOf(taggedAddresses);
        meta = meta == null ? Map.of() : Map.copyOf(meta);
        weights = weights == null ? Weights.DEFAULT : weights;
    }

    public NodeService withIndexes(long create, long modify) {
        return new NodeService(kind, id, service, tags, address, taggedAddresses, meta, port, weights,
                enableTagOverride, create, modify);
    }
}
