package io.conclave.api.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A check's state in the catalog, Consul's {@code structs.HealthCheck}.
 *
 * @param serviceId "" for a node-level check
 * @param type      the check type name ({@code script}, {@code http}, {@code tcp}, {@code ttl}, …; "" for serfHealth)
 */
public record HealthCheck(String node, String checkId, String name, String status, String notes, String output,
                          String serviceId, String serviceName, List<String> serviceTags, String type,
                          CheckDefinition definition, long createIndex, long modifyIndex) {
    public HealthCheck {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(checkId, "checkId");
        name = name == null ? "" : name;
        status = status == null ? Health.CRITICAL : status;
        notes = notes == null ? "" : notes;
        output = output == null ? "" : output;
        serviceId = serviceId == null ? "" : serviceId;
        serviceName = serviceName == null ? "" : serviceName;
        serviceTags = serviceTags == null ? List.of() : List.copyOf(serviceTags);
        type = type == null ? "" : type;
        definition = definition == null ? CheckDefinition.EMPTY : definition;
    }

    public HealthCheck withIndexes(long create, long modify) {
        return new HealthCheck(node, checkId, name, status, notes, output, serviceId, serviceName, serviceTags, type,
                definition, create, modify);
    }

    public HealthCheck withStatus(String newStatus, String newOutput) {
        return new HealthCheck(node, checkId, name, newStatus, notes, newOutput, serviceId, serviceName, serviceTags,
                type, definition, createIndex, modifyIndex);
    }
}
