package io.conclave.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.time.GoDuration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of Consul's agent endpoints: {@code api.AgentService} (field order and omitempty as
 * Consul 1.9's), {@code structs.HealthCheck} with its {@code HealthCheckDefinition} (empty fields omitted,
 * durations as Go strings), and {@code api.AgentServiceChecksInfo}.
 */
final class AgentJson {

    private AgentJson() {
    }

    @JsonPropertyOrder({"Address", "Port"})
    record Address(@JsonProperty("Address") String address, @JsonProperty("Port") int port) {
    }

    @JsonPropertyOrder({"Passing", "Warning"})
    record WeightsJson(@JsonProperty("Passing") int passing, @JsonProperty("Warning") int warning) {
    }

    @JsonPropertyOrder({"Kind", "ID", "Service", "Tags", "Meta", "Port", "Address", "TaggedAddresses", "Weights",
            "EnableTagOverride", "ContentHash", "Datacenter"})
    record Service(@JsonProperty("Kind") @JsonInclude(JsonInclude.Include.NON_EMPTY) String kind,
                   @JsonProperty("ID") String id,
                   @JsonProperty("Service") String service,
                   @JsonProperty("Tags") List<String> tags,
                   @JsonProperty("Meta") Map<String, String> meta,
                   @JsonProperty("Port") int port,
                   @JsonProperty("Address") String address,
                   @JsonProperty("TaggedAddresses") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                   Map<String, Address> taggedAddresses,
                   @JsonProperty("Weights") WeightsJson weights,
                   @JsonProperty("EnableTagOverride") boolean enableTagOverride,
                   @JsonProperty("ContentHash") @JsonInclude(JsonInclude.Include.NON_EMPTY) String contentHash,
                   @JsonProperty("Datacenter") @JsonInclude(JsonInclude.Include.NON_EMPTY) String datacenter) {

        Service withContentHash(String hash) {
            return new Service(kind, id, service, tags, meta, port, address, taggedAddresses, weights,
                    enableTagOverride, hash, datacenter);
        }
    }

    static Service service(NodeService s, String datacenter) {
        Map<String, Address> tagged = new TreeMap<>();
        for (Map.Entry<String, ServiceAddress> e : s.taggedAddresses().entrySet()) {
            tagged.put(e.getKey(), new Address(e.getValue().address(), e.getValue().port()));
        }
        // Consul shows a non-positive passing weight as 1
        int passing = s.weights().passing() > 0 ? s.weights().passing() : 1;
        return new Service(s.kind(), s.id(), s.service(), s.tags(), new TreeMap<>(s.meta()), s.port(), s.address(),
                tagged, new WeightsJson(passing, s.weights().warning()), s.enableTagOverride(), "", datacenter);
    }

    /**
     * A content hash of the service as shown (Consul hashes the struct with {@code hashstructure}; clients
     * only compare it): 64 bits of SHA-256 over the compact JSON, in lower-case hex without leading zeros.
     */
    static String contentHash(Service s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(s.withContentHash(""), false));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (digest[i] & 0xff);
            }
            return Long.toHexString(v);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @JsonPropertyOrder({"Node", "CheckID", "Name", "Status", "Notes", "Output", "ServiceID", "ServiceName",
            "ServiceTags", "Type", "Definition", "CreateIndex", "ModifyIndex"})
    record Check(@JsonProperty("Node") String node,
                 @JsonProperty("CheckID") String checkId,
                 @JsonProperty("Name") String name,
                 @JsonProperty("Status") String status,
                 @JsonProperty("Notes") String notes,
                 @JsonProperty("Output") String output,
                 @JsonProperty("ServiceID") String serviceId,
                 @JsonProperty("ServiceName") String serviceName,
                 @JsonProperty("ServiceTags") List<String> serviceTags,
                 @JsonProperty("Type") String type,
                 @JsonProperty("Definition") Definition definition,
                 @JsonProperty("CreateIndex") long createIndex,
                 @JsonProperty("ModifyIndex") long modifyIndex) {
    }

    static Check check(HealthCheck c) {
        return new Check(c.node(), c.checkId(), c.name(), c.status(), c.notes(), c.output(), c.serviceId(),
                c.serviceName(), c.serviceTags(), c.type(), definition(c.definition()), c.createIndex(),
                c.modifyIndex());
    }

    /** Consul's {@code HealthCheckDefinition}: every field omitempty, durations as Go duration strings. */
    @JsonPropertyOrder({"HTTP", "TLSServerName", "TLSSkipVerify", "Header", "Method", "Body", "TCP", "Interval",
            "Timeout", "DeregisterCriticalServiceAfter"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Definition(@JsonProperty("HTTP") String http,
                      @JsonProperty("TLSServerName") String tlsServerName,
                      @JsonProperty("TLSSkipVerify") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean tlsSkipVerify,
                      @JsonProperty("Header") Map<String, List<String>> header,
                      @JsonProperty("Method") String method,
                      @JsonProperty("Body") String body,
                      @JsonProperty("TCP") String tcp,
                      @JsonProperty("Interval") String interval,
                      @JsonProperty("Timeout") String timeout,
                      @JsonProperty("DeregisterCriticalServiceAfter") String deregisterCriticalServiceAfter) {
    }

    static Definition definition(CheckDefinition d) {
        return new Definition(d.http(), d.tlsServerName(), d.tlsSkipVerify(), new TreeMap<>(d.header()), d.method(),
                d.body(), d.tcp(), duration(d.interval()), duration(d.timeout()),
                duration(d.deregisterCriticalServiceAfter()));
    }

    private static String duration(Duration d) {
        return d.isZero() ? null : GoDuration.format(d);
    }

    @JsonPropertyOrder({"AggregatedStatus", "Service", "Checks"})
    record ServiceHealth(@JsonProperty("AggregatedStatus") String aggregatedStatus,
                         @JsonProperty("Service") Service service,
                         @JsonProperty("Checks") List<Check> checks) {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
