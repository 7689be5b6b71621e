package io.conclave.store.internal;

import static io.conclave.store.internal.Schema.CHECKS;
import static io.conclave.store.internal.Schema.NODES;
import static io.conclave.store.internal.Schema.SERVICES;

import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.Weights;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The REGISTER and DEREGISTER commands as operations on a {@link WriteTxn}, following Consul's
 * {@code agent/consul/state/catalog.go} ({@code ensureRegistrationTxn}, {@code ensureNodeTxn},
 * {@code ensureServiceTxn}, {@code ensureCheckTxn}, {@code deleteNodeTxn}, {@code deleteServiceTxn},
 * {@code deleteCheckTxn}) and {@code fsm.applyDeregister}.
 *
 * <p>Index-table entries touched, as Consul's: {@code nodes} on a node write or delete; {@code services} on
 * a service write or delete (and on deleting a node-level check); {@code checks} on a check write or delete
 * (and on any service delete); {@code service.<name>} whenever an instance of the service, one of its
 * checks, its node, or a node-level check on its node changes (removed with the last instance, which sets
 * {@code service_last_extinction}); {@code node.<name>} when the node or one of its services changes
 * (removed with the node, which sets {@code node_last_extinction}). A write that changes nothing (the same
 * node, service or check again) touches nothing, so it wakes no one.
 *
 * <p>Failures throw {@link IllegalArgumentException} with Consul's text; the caller abandons the whole
 * transaction, so a register request either applies completely or not at all.
 */
final class CatalogWrites {

    private static final Pattern META_KEY = Pattern.compile("^[a-zA-Z0-9_-]+$");
    private static final int META_MAX_PAIRS = 64;
    private static final int META_KEY_MAX = 128;
    private static final int META_VALUE_MAX = 512;
    private static final String META_RESERVED_PREFIX = "consul-";

    private CatalogWrites() {
    }

    // ---- register ----

    /** ensureRegistrationTxn: the node (unless unchanged or skipped), then the service, then each check. */
    static void register(WriteTxn txn, RegisterRequest req) {
        Node node = req.node();
        Node existing = txn.get(NODES, Schema.nodeKey(node.node()));
        if (existing == null || changesNode(req, existing)) {
            try {
                ensureNode(txn, node);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("failed inserting node: " + e.getMessage());
            }
        }
        if (req.service() != null) {
            ServiceRow current = txn.get(SERVICES, Schema.serviceKey(node.node(), req.service().id()));
            if (current == null || !sameService(current, new ServiceRow(node.node(), req.service()))) {
                try {
                    ensureService(txn, node.node(), req.service());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("failed inserting service: " + e.getMessage());
                }
            }
        }
        for (HealthCheck check : req.checks()) {
            if (!check.node().equalsIgnoreCase(node.node())) {
                throw new IllegalArgumentException("check node " + quote(check.node()) + " does not match node "
                        + quote(node.node()));
            }
            try {
                ensureCheck(txn, check);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("failed inserting check: " + e.getMessage());
            }
        }
    }

    /** RegisterRequest.ChangesNode: a new node, or (unless skipNodeUpdate) any node field differs. */
    private static boolean changesNode(RegisterRequest req, Node existing) {
        if (req.skipNodeUpdate()) {
            return false;
        }
        return !sameNode(req.node(), existing);
    }

    /** Node.IsSame: every field but the raft indexes, names compared exactly. */
    private static boolean sameNode(Node a, Node b) {
        return a.id().equals(b.id()) && a.node().equals(b.node()) && a.address().equals(b.address())
                && a.datacenter().equals(b.datacenter()) && a.taggedAddresses().equals(b.taggedAddresses())
                && a.meta().equals(b.meta());
    }

    /**
     * ensureNodeTxn: a node with a known ID keeps its row even under a new name (the old name's row, with
     * its services and checks, goes); a name held by another live node (its serfHealth not critical) is
     * refused; an unchanged node is left alone; otherwise the node is written keeping its CreateIndex.
     */
    static void ensureNode(WriteTxn txn, Node node) {
        Node n = null;
        if (!node.id().isEmpty()) {
            Node byId = null;
            for (Node candidate : txn.byIndex(NODES, "uuid", Schema.lower(node.id()))) {
                byId = candidate;
                break;
            }
            if (byId != null) {
                n = byId;
                if (!n.node().equalsIgnoreCase(node.node())) {
                    String clash = similarNameClash(txn, node, false);
                    if (clash != null) {
                        throw new IllegalArgumentException("Error while renaming Node ID: " + quote(node.id())
                                + " (" + node.address() + "): " + clash);
                    }
                    deleteNode(txn, n.node());
                }
            } else {
                String clash = similarNameClash(txn, node, true);
                if (clash != null) {
                    throw new IllegalArgumentException("Error while renaming Node ID: " + quote(node.id()) + ": " + clash);
                }
            }
        }
        if (n == null) {
            n = txn.get(NODES, Schema.nodeKey(node.node()));
        }
        Node row;
        if (n != null) {
            if (sameNode(node, n)) {
                return;
            }
            row = node.withIndexes(n.createIndex(), txn.index);
        } else {
            row = node.withIndexes(txn.index, txn.index);
        }
        txn.put(NODES, row);
        txn.touchIndex(NODES);
        txn.touchIndex(Schema.nodeIndex(row.node()));
        updateAllServiceIndexesOfNode(txn, row.node());
    }

    /**
     * ensureNoNodeWithSimilarNameTxn: another node (a different ID) with the same name, case-insensitively,
     * whose serfHealth check exists and is not critical, reserves the name; with
     * {@code allowClashWithoutId} a node registered without an ID may be taken over.
     */
    private static String similarNameClash(WriteTxn txn, Node node, boolean allowClashWithoutId) {
        Node other = txn.get(NODES, Schema.nodeKey(node.node()));
        if (other == null || other.id().equals(node.id())) {
            return null;
        }
        HealthCheck serf = txn.get(CHECKS, Schema.checkKey(other.node(), Health.SERF_CHECK_ID));
        boolean healthy = serf != null && !Health.CRITICAL.equals(serf.status());
        if (!(other.id().isEmpty() && allowClashWithoutId) && healthy) {
            return "Node name " + node.node() + " is reserved by node " + other.id() + " with name " + other.node()
                    + " (" + other.address() + ")";
        }
        return null;
    }

    /** The services of a node are part of health answers, so a node-level change touches each one's index. */
    private static void updateAllServiceIndexesOfNode(WriteTxn txn, String node) {
        for (ServiceRow r : txn.byIndex(SERVICES, "node", Schema.lower(node))) {
            txn.touchIndex(Schema.serviceIndex(r.service().service()));
        }
    }

    /**
     * ensureServiceTxn: metadata validated, weights defaulted to 1/1 when absent or invalid
     * ({@code ToServiceNode}), the node must exist, an unchanged service is left alone, CreateIndex kept.
     */
    static void ensureService(WriteTxn txn, String node, NodeService svc) {
        String invalid = validateMeta(svc.kind(), svc.meta());
        if (invalid != null) {
            throw new IllegalArgumentException("Invalid Service Meta for node " + node + " and serviceID " + svc.id()
                    + ": " + invalid);
        }
        NodeService normal = withValidWeights(svc);
        if (txn.get(NODES, Schema.nodeKey(node)) == null) {
            throw new IllegalArgumentException("Missing node registration");
        }
        ServiceRow existing = txn.get(SERVICES, Schema.serviceKey(node, svc.id()));
        ServiceRow row = new ServiceRow(node, normal);
        if (existing != null && sameService(existing, row)) {
            return;
        }
        long create = existing == null ? txn.index : existing.service().createIndex();
        row = new ServiceRow(node, normal.withIndexes(create, txn.index));
        txn.put(SERVICES, row);
        txn.touchIndex(SERVICES);
        txn.touchIndex(Schema.serviceIndex(normal.service()));
        txn.touchIndex(Schema.nodeIndex(node));
        if (existing != null && !existing.service().service().equalsIgnoreCase(normal.service())) {
            // Renamed in place: readers of the old name must see it go (Consul misses this case).
            serviceNameLeft(txn, existing.service().service());
        }
    }

    private static NodeService withValidWeights(NodeService s) {
        Weights w = s.weights();
        boolean valid = w.passing() >= 1 && w.warning() >= 0 && w.passing() <= 65535 && w.warning() <= 65535;
        if (valid) {
            return s;
        }
        return new NodeService(s.kind(), s.id(), s.service(), s.tags(), s.address(), s.taggedAddresses(), s.meta(),
                s.port(), Weights.DEFAULT, s.enableTagOverride(), s.createIndex(), s.modifyIndex());
    }

    /** ServiceNode.IsSameService: the node name (exactly) and every service field but the raft indexes. */
    private static boolean sameService(ServiceRow a, ServiceRow b) {
        return a.node().equals(b.node())
                && withValidWeights(a.service()).withIndexes(0, 0).equals(withValidWeights(b.service()).withIndexes(0, 0));
    }

    /**
     * structs.validateMetadata with the {@code consul-} prefix reserved (mesh gateways may use
     * {@code consul-wan-federation}); keys are checked in sorted order so every server reports the same pair.
     */
    static String validateMeta(String kind, Map<String, String> meta) {
        if (meta.size() > META_MAX_PAIRS) {
            return "Node metadata cannot contain more than " + META_MAX_PAIRS + " key/value pairs";
        }
        for (Map.Entry<String, String> e : new TreeMap<>(meta).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String why = null;
            if (key.isEmpty()) {
                why = "Key cannot be blank";
            } else if (!META_KEY.matcher(key).matches()) {
                why = "Key contains invalid characters";
            } else if (key.length() > META_KEY_MAX) {
                why = "Key is too long (limit: " + META_KEY_MAX + " characters)";
            } else if (key.startsWith(META_RESERVED_PREFIX)
                    && !("mesh-gateway".equals(kind) && key.equals("consul-wan-federation"))) {
                why = "Key prefix '" + META_RESERVED_PREFIX + "' is reserved for internal use";
            } else if (value.getBytes(StandardCharsets.UTF_8).length > META_VALUE_MAX) {
                why = "Value is too long (limit: " + META_VALUE_MAX + " characters)";
            }
            if (why != null) {
                return "Couldn't load metadata pair ('" + key + "', '" + value + "'): " + why;
            }
        }
        return null;
    }

    /**
     * ensureCheckTxn: status defaults to critical; the node must exist; a service check's service must
     * exist on that node and lends the check its name and tags; an unchanged check is left alone (its
     * type is not compared, as Consul's IsSame does not); CreateIndex kept.
     */
    static void ensureCheck(WriteTxn txn, HealthCheck hc) {
        HealthCheck existing = txn.get(CHECKS, Schema.checkKey(hc.node(), hc.checkId()));
        String status = hc.status().isEmpty() ? Health.CRITICAL : hc.status();
        if (txn.get(NODES, Schema.nodeKey(hc.node())) == null) {
            throw new IllegalArgumentException("Missing node registration");
        }
        HealthCheck check;
        if (!hc.serviceId().isEmpty()) {
            ServiceRow svc = txn.get(SERVICES, Schema.serviceKey(hc.node(), hc.serviceId()));
            if (svc == null) {
                throw new IllegalArgumentException("Missing service registration");
            }
            check = new HealthCheck(hc.node(), hc.checkId(), hc.name(), status, hc.notes(), hc.output(), hc.serviceId(),
                    svc.service().service(), svc.service().tags(), hc.type(), hc.definition(), 0, 0);
            if (existing != null && sameCheck(existing, check)) {
                return;
            }
            txn.touchIndex(Schema.serviceIndex(svc.service().service()));
        } else {
            check = new HealthCheck(hc.node(), hc.checkId(), hc.name(), status, hc.notes(), hc.output(), "",
                    hc.serviceName(), hc.serviceTags(), hc.type(), hc.definition(), 0, 0);
            if (existing != null && sameCheck(existing, check)) {
                return;
            }
            updateAllServiceIndexesOfNode(txn, hc.node());
        }
        long create = existing == null ? txn.index : existing.createIndex();
        txn.put(CHECKS, check.withIndexes(create, txn.index));
        txn.touchIndex(CHECKS);
    }

    /** HealthCheck.IsSame: everything but the type and the raft indexes. */
    private static boolean sameCheck(HealthCheck a, HealthCheck b) {
        return a.node().equals(b.node()) && a.checkId().equals(b.checkId()) && a.name().equals(b.name())
                && a.status().equals(b.status()) && a.notes().equals(b.notes()) && a.output().equals(b.output())
                && a.serviceId().equals(b.serviceId()) && a.serviceName().equals(b.serviceName())
                && a.serviceTags().equals(b.serviceTags()) && a.definition().equals(b.definition());
    }

    // ---- deregister ----

    /** fsm.applyDeregister: a service ID wins over a check ID; neither means the whole node. */
    static void deregister(WriteTxn txn, DeregisterRequest req) {
        if (!req.serviceId().isEmpty()) {
            deleteService(txn, req.node(), req.serviceId());
        } else if (!req.checkId().isEmpty()) {
            deleteCheck(txn, req.node(), req.checkId());
        } else {
            deleteNode(txn, req.node());
        }
    }

    /** deleteNodeTxn: the node's services (each with its checks), its other checks, then the node. */
    static void deleteNode(WriteTxn txn, String node) {
        Node n = txn.get(NODES, Schema.nodeKey(node));
        if (n == null) {
            return;
        }
        for (ServiceRow r : txn.byIndex(SERVICES, "node", Schema.lower(node))) {
            txn.touchIndex(Schema.serviceIndex(r.service().service()));
            deleteService(txn, r.node(), r.service().id());
        }
        for (HealthCheck c : txn.byIndex(CHECKS, "node", Schema.lower(node))) {
            deleteCheck(txn, c.node(), c.checkId());
        }
        txn.delete(NODES, Schema.nodeKey(node));
        txn.touchIndex(NODES);
        txn.removeIndex(Schema.nodeIndex(n.node()));
        txn.touchIndex(Schema.NODE_EXTINCTION);
    }

    /** deleteServiceTxn: the service's checks, then the service; the last instance of a name ends its index. */
    static void deleteService(WriteTxn txn, String node, String serviceId) {
        ServiceRow row = txn.get(SERVICES, Schema.serviceKey(node, serviceId));
        if (row == null) {
            return;
        }
        for (HealthCheck c : txn.byIndex(CHECKS, "node_service", Schema.nodeServiceKey(node, serviceId))) {
            deleteCheck(txn, c.node(), c.checkId());
        }
        txn.touchIndex(CHECKS);
        txn.delete(SERVICES, Schema.serviceKey(node, serviceId));
        txn.touchIndex(SERVICES);
        txn.touchIndex(Schema.nodeIndex(row.node()));
        serviceNameLeft(txn, row.service().service());
    }

    /** An instance of {@code name} went: touch its index, or drop it and mark an extinction if it was the last. */
    private static void serviceNameLeft(WriteTxn txn, String name) {
        if (!txn.byIndex(SERVICES, "service", Schema.lower(name)).isEmpty()) {
            txn.touchIndex(Schema.serviceIndex(name));
        } else {
            txn.removeIndex(Schema.serviceIndex(name));
            txn.touchIndex(Schema.SERVICE_EXTINCTION);
        }
    }

    /** deleteCheckTxn: a service check touches its service's index; a node check every service of the node. */
    static void deleteCheck(WriteTxn txn, String node, String checkId) {
        HealthCheck hc = txn.get(CHECKS, Schema.checkKey(node, checkId));
        if (hc == null) {
            return;
        }
        if (!hc.serviceId().isEmpty()) {
            txn.touchIndex(Schema.serviceIndex(hc.serviceName()));
        } else {
            updateAllServiceIndexesOfNode(txn, hc.node());
            txn.touchIndex(SERVICES);
        }
        txn.delete(CHECKS, Schema.checkKey(node, checkId));
        txn.touchIndex(CHECKS);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
