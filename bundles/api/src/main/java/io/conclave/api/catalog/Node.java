package io.conclave.api.catalog;

import java.util.Map;
import java.util.Objects;

/**
 * A catalog node, Consul's {@code structs.Node}.
 *
 * @param id              the node's UUID (may be empty for nodes registered without one)
 * @param taggedAddresses {@code lan}, {@code lan_ipv4}, {@code wan}, {@code wan_ipv4}, …
 */
public record Node(String id, String node, String address, String datacenter,
                   Map<String, String> taggedAddresses, Map<String, String> meta,
                   long createIndex, long modifyIndex) {
    public Node {
        Objects.requireNonNull(node, "node");
        id = id == null ? "" : id;
        address = address == null ? "" : address;
        datacenter = datacenter == null ? "" : datacenter;
        taggedAddresses = taggedAddresses == null ? Map.of() : Map.copyOf(taggedAddresses);
        meta = meta == null ? Map.of() : Map.copyOf(meta);
    }

    public Node withIndexes(long create, long modify) {
        return new Node(id, node, address, datacenter, taggedAddresses, meta, create, modify);
    }
}
