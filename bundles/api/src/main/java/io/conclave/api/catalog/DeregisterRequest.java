package io.conclave.api.catalog;

import java.util.Objects;

/**
 * Consul's {@code DeregisterRequest}: with neither serviceId nor checkId the whole node goes (with its
 * services and checks); with serviceId that service and its checks; with checkId that check.
 */
public record DeregisterRequest(String node, String serviceId, String checkId) {
    public DeregisterRequest {
        Objects.requireNonNull(node, "node");
        serviceId = serviceId == null ? "" : serviceId;
        checkId = checkId == null ? "" : checkId;
    }
}
