package io.conclave.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.catalog.Weights;
import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The catalog and health types as Consul's {@code encoding/json} writes them ({@code agent/structs}):
 * fields in Go struct order, map keys sorted, {@code omitempty} fields left out when empty. Built as
 * JSON trees because a {@code ?filter=} expression is evaluated against exactly what is answered.
 *
 * <p>Where Consul answers {@code null} and where {@code {}} or {@code []}: a node's TaggedAddresses and
 * Meta, and a service's Meta, are stored as registered and so are {@code null} when none were given (the
 * tutorial's health answer shows {@code "Meta": null}); a catalog service's ServiceMeta is always an object
 * ({@code PartialClone} copies it into a new map); tags and service tags are always lists (the HTTP
 * handlers replace nil slices). The connect fields Conclave does not support yet are their empty shapes:
 * {@code "Proxy": {"MeshGateway": {}, "Expose": {}}} and {@code "Connect": {}}.
 */
final class CatalogJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CatalogJson() {
    }

    /** {@code structs.Node}. */
    static ObjectNode node(Node n) {
        ObjectNode o = F.objectNode();
        o.put("ID", n.id());
        o.put("Node", n.node());
        o.put("Address", n.address());
        o.put("Datacenter", n.datacenter());
        o.set("TaggedAddresses", stringMapOrNull(n.taggedAddresses()));
        o.set("Meta", stringMapOrNull(n.meta()));
        o.put("CreateIndex", n.createIndex());
        o.put("ModifyIndex", n.modifyIndex());
        return o;
    }

    /** {@code structs.ServiceNode}: one row of {@code /v1/catalog/service/:service}. */
    static ObjectNode serviceNode(ServiceInstance i) {
        Node n = i.node();
        NodeService s = i.service();
        ObjectNode o = F.objectNode();
        o.put("ID", n.id());
        o.put("Node", n.node());
        o.put("Address", n.address());
        o.put("Datacenter", n.datacenter());
        o.set("TaggedAddresses", stringMapOrNull(n.taggedAddresses()));
        o.set("NodeMeta", stringMapOrNull(n.meta()));
        o.put("ServiceKind", s.kind());
        o.put("ServiceID", s.id());
        o.put("ServiceName", s.service());
        o.set("ServiceTags", strings(s.tags()));
        o.put("ServiceAddress", s.address());
        if (!s.taggedAddresses().isEmpty()) {
            o.set("ServiceTaggedAddresses", serviceAddresses(s.taggedAddresses()));
        }
        o.set("ServiceWeights", weights(s.weights()));
        o.set("ServiceMeta", stringMap(s.meta()));
        o.put("ServicePort", s.port());
        o.put("ServiceEnableTagOverride", s.enableTagOverride());
        o.set("ServiceProxy", proxy());
        o.set("ServiceConnect", F.objectNode());
        o.put("CreateIndex", s.createIndex());
        o.put("ModifyIndex", s.modifyIndex());
        return o;
    }

    /** {@code structs.NodeService}: a health entry's Service, a value of {@code /v1/catalog/node/:node}'s Services. */
    static ObjectNode nodeService(NodeService s) {
        ObjectNode o = F.objectNode();
        if (!s.kind().isEmpty()) {
            o.put("Kind", s.kind());
        }
        o.put("ID", s.id());
        o.put("Service", s.service());
        o.set("Tags", strings(s.tags()));
        o.put("Address", s.address());
        if (!s.taggedAddresses().isEmpty()) {
            o.set("TaggedAddresses", serviceAddresses(s.taggedAddresses()));
        }
        o.set("Meta", stringMapOrNull(s.meta()));
        o.put("Port", s.port());
        o.set("Weights", weights(s.weights()));
        o.put("EnableTagOverride", s.enableTagOverride());
        o.set("Proxy", proxy());
        o.set("Connect", F.objectNode());
        o.put("CreateIndex", s.createIndex());
        o.put("ModifyIndex", s.modifyIndex());
        return o;
    }

    /** {@code structs.HealthCheck} (Consul 1.9's fields). */
    static ObjectNode check(HealthCheck c) {
        ObjectNode o = F.objectNode();
        o.put("Node", c.node());
        o.put("CheckID", c.checkId());
        o.put("Name", c.name());
        o.put("Status", c.status());
        o.put("Notes", c.notes());
        o.put("Output", c.output());
        o.put("ServiceID", c.serviceId());
        o.put("ServiceName", c.serviceName());
        o.set("ServiceTags", strings(c.serviceTags()));
        o.put("Type", c.type());
        o.set("Definition", definition(c.definition()));
        o.put("CreateIndex", c.createIndex());
        o.put("ModifyIndex", c.modifyIndex());
        return o;
    }

    /** {@code structs.CheckServiceNode}: one row of {@code /v1/health/service/:service}. */
    static ObjectNode checkServiceNode(CheckServiceNode c) {
        ObjectNode o = F.objectNode();
        o.set("Node", node(c.node()));
        o.set("Service", nodeService(c.service()));
        ArrayNode checks = F.arrayNode();
        for (HealthCheck h : c.checks()) {
            checks.add(check(h));
        }
        o.set("Checks", checks);
        return o;
    }

    /**
     * {@code HealthCheckDefinition.MarshalJSON}: the durations first, as Go duration strings, then the
     * other fields; every empty one left out, so a script or TTL check shows {@code {}}.
     */
    static ObjectNode definition(CheckDefinition d) {
        ObjectNode o = F.objectNode();
        duration(o, "Interval", d.interval());
        duration(o, "Timeout", d.timeout());
        duration(o, "DeregisterCriticalServiceAfter", d.deregisterCriticalServiceAfter());
        text(o, "HTTP", d.http());
        text(o, "TLSServerName", d.tlsServerName());
        if (d.tlsSkipVerify()) {
            o.put("TLSSkipVerify", true);
        }
        if (!d.header().isEmpty()) {
            ObjectNode h = F.objectNode();
            new TreeMap<>(d.header()).forEach((k, v) -> h.set(k, strings(v)));
            o.set("Header", h);
        }
        text(o, "Method", d.method());
        text(o, "Body", d.body());
        text(o, "TCP", d.tcp());
        return o;
    }

    private static void duration(ObjectNode o, String name, Duration d) {
        if (!d.isZero()) {
            o.put(name, GoDuration.format(d));
        }
    }

    private static void text(ObjectNode o, String name, String value) {
        if (!value.isEmpty()) {
            o.put(name, value);
        }
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode a = F.arrayNode();
        values.forEach(a::add);
        return a;
    }

    static ObjectNode stringMap(Map<String, String> m) {
        ObjectNode o = F.objectNode();
        new TreeMap<>(m).forEach(o::put);
        return o;
    }

    static JsonNode stringMapOrNull(Map<String, String> m) {
        return m.isEmpty() ? F.nullNode() : stringMap(m);
    }

    private static ObjectNode serviceAddresses(Map<String, ServiceAddress> m) {
        ObjectNode o = F.objectNode();
        new TreeMap<>(m).forEach((k, v) -> {
            ObjectNode a = F.objectNode();
            a.put("Address", v.address());
            a.put("Port", v.port());
            o.set(k, a);
        });
        return o;
    }

    private static ObjectNode weights(Weights w) {
        ObjectNode o = F.objectNode();
        o.put("Passing", w.passing());
        o.put("Warning", w.warning());
        return o;
    }

    /** {@code ConnectProxyConfig} of a typical service: every field empty and omitted but the two structs. */
    private static ObjectNode proxy() {
        ObjectNode o = F.objectNode();
        o.set("MeshGateway", F.objectNode());
        o.set("Expose", F.objectNode());
        return o;
    }
}
