package io.conclave.api.catalog;

/** A service with the node it runs on: one row of {@code /v1/catalog/service/:name}. */
public record ServiceInstance(Node node, NodeService service) {
}
