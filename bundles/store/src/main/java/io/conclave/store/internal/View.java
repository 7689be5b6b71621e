package io.conclave.store.internal;

import static io.conclave.store.internal.Schema.CHECKS;
import static io.conclave.store.internal.Schema.NODES;
import static io.conclave.store.internal.Schema.SERVICES;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StoreView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link StoreView} over one {@link StoreRoot}. When it belongs to a blocking query it records
 * every read in a {@link WatchSet}; plain views ({@code watches == null}) record nothing.
 *
 * <p>The index rules are Consul's ({@code kvsGetTxn}, {@code kvsListTxn}, {@code KVSKeys} in
 * {@code agent/consul/state/kvs.go}, plus the endpoint's use of ModifyIndex for a found key): the
 * KV table index is the larger of the "kvs" and "tombstones" index-table entries. The catalog's are
 * those of {@code agent/consul/state/catalog.go}, each stated on its method; what each watches is what
 * the answer depends on, named by the finest key that covers it (an index-table entry such as
 * {@code service.web} where Consul watches one, else the rows or secondary-index values read).
 */
final class View implements StoreView {

    private final StoreRoot root;
    private final WatchSet watches;

    View(StoreRoot root, WatchSet watches) {
        this.root = root;
        this.watches = watches;
    }

    WatchSet watches() {
        return watches;
    }

    @Override
    public long index() {
        return root.lastIndex;
    }

    private long kvsMaxIndex() {
        return root.maxIndex(Schema.KVS, Schema.TOMBSTONES);
    }

    @Override
    public Indexed<Optional<KvEntry>> kvGet(String key) {
        if (watches != null) {
            watches.watchKey(Schema.KVS, key);
        }
        KvEntry e = root.table(Schema.KVS).get(key);
        if (e != null) {
            return new Indexed<>(e.modifyIndex(), Optional.of(e));
        }
        return new Indexed<>(kvsMaxIndex(), Optional.empty());
    }

    @Override
    public Indexed<List<KvEntry>> kvList(String prefix) {
        if (watches != null) {
            watches.watchPrefix(Schema.KVS, prefix);
        }
        List<KvEntry> entries = new ArrayList<>();
        long lindex = 0;
        for (KvEntry e : root.table(Schema.KVS).rows.valuesWithPrefix(prefix)) {
            entries.add(e);
            lindex = Math.max(lindex, e.modifyIndex());
        }
        return new Indexed<>(prefixIndex(prefix, lindex), Collections.unmodifiableList(entries));
    }

    @Override
    public Indexed<List<String>> kvKeys(String prefix, String separator) {
        if (watches != null) {
            watches.watchPrefix(Schema.KVS, prefix);
        }
        String sep = separator == null ? "" : separator;
        List<String> keys = new ArrayList<>();
        long lindex = 0;
        String last = null;
        for (KvEntry e : root.table(Schema.KVS).rows.valuesWithPrefix(prefix)) {
            lindex = Math.max(lindex, e.modifyIndex());
            String k = e.key();
            if (!sep.isEmpty()) {
                int at = k.indexOf(sep, prefix.length());
                if (at >= 0) {
                    k = k.substring(0, at + sep.length());
                }
            }
            // Keys sharing a folder are contiguous in key order, so comparing with the last suffices.
            if (!k.equals(last)) {
                keys.add(k);
                last = k;
            }
        }
        return new Indexed<>(prefixIndex(prefix, lindex), Collections.unmodifiableList(keys));
    }

    /**
     * kvsListTxn: the highest ModifyIndex under the prefix, raised to the highest tombstone under it;
     * the whole table index for the empty prefix; the table index again when that comes out 0.
     */
    private long prefixIndex(String prefix, long lindex) {
        long idx = kvsMaxIndex();
        if (!prefix.isEmpty()) {
            for (Tombstone t : root.table(Schema.TOMBSTONES).rows.valuesWithPrefix(prefix)) {
                lindex = Math.max(lindex, t.index());
            }
        } else {
            lindex = idx;
        }
        return lindex != 0 ? lindex : idx;
    }

    // ---- catalog ----

    private void watchKey(Table<?> table, String key) {
        if (watches != null) {
            watches.watchKey(table, key);
        }
    }

    private void watchIndex(String name) {
        if (watches != null) {
            watches.watchIndex(name);
        }
    }

    private void watchSecondary(Table<?> table, String indexName, String value) {
        if (watches != null) {
            watches.watchSecondary(table, indexName, value);
        }
    }

    private static <R> List<R> list(Iterable<R> rows) {
        List<R> out = new ArrayList<>();
        rows.forEach(out::add);
        return out;
    }

    private Node node(String name) {
        return root.table(NODES).get(Schema.nodeKey(name));
    }

    /**
     * maxIndexForService: for a service with no instances the last extinction's index if there was one;
     * else the service's own entry; else the catalog's (nodes, services, and with {@code checks} checks).
     */
    private long maxIndexForService(String service, boolean exists, boolean checks) {
        if (!exists) {
            Long ext = root.indexes.get(Schema.SERVICE_EXTINCTION);
            if (ext != null) {
                return ext;
            }
        }
        Long own = root.indexes.get(Schema.serviceIndex(service));
        if (own != null) {
            return own;
        }
        return checks ? root.maxIndex(NODES, SERVICES, CHECKS) : root.maxIndex(NODES, SERVICES);
    }

    /** SatisfiesMetaFilters: every pair present with exactly that value. */
    private static boolean satisfies(Node node, Map<String, String> nodeMeta) {
        if (nodeMeta.isEmpty()) {
            return true;
        }
        if (node == null) {
            return false;
        }
        for (Map.Entry<String, String> e : nodeMeta.entrySet()) {
            if (!e.getValue().equals(node.meta().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Nodes: every node in name order; the nodes table's index. */
    @Override
    public Indexed<List<Node>> catalogNodes() {
        watchIndex(NODES.name);
        return new Indexed<>(root.maxIndex(NODES), Collections.unmodifiableList(list(root.table(NODES).rows.valuesWithPrefix(""))));
    }

    /**
     * Services / ServicesByNodeMeta: every instance's name and tags; the services table's index, raised to
     * the nodes table's with a node-meta filter.
     */
    @Override
    public Indexed<Map<String, List<String>>> catalogServices(Map<String, String> nodeMeta) {
        watchIndex(SERVICES.name);
        long idx = root.maxIndex(SERVICES);
        if (!nodeMeta.isEmpty()) {
            watchIndex(NODES.name);
            idx = Math.max(idx, root.maxIndex(NODES));
        }
        Map<String, Set<String>> unique = new TreeMap<>();
        for (ServiceRow r : root.table(SERVICES).rows.valuesWithPrefix("")) {
            if (!nodeMeta.isEmpty() && !satisfies(node(r.node()), nodeMeta)) {
                continue;
            }
            unique.computeIfAbsent(r.service().service(), k -> new java.util.TreeSet<>()).addAll(r.service().tags());
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        unique.forEach((name, tags) -> out.put(name, List.copyOf(tags)));
        return new Indexed<>(idx, Collections.unmodifiableMap(out));
    }

    private List<ServiceRow> instances(String service) {
        watchSecondary(SERVICES, "service", Schema.lower(service));
        return list(root.table(SERVICES).byIndex(SERVICES, "service", Schema.lower(service)));
    }

    /** serviceTagsFilter: keep an instance only if it has every tag, compared case-insensitively. */
    private static boolean hasTags(NodeService s, List<String> tags) {
        for (String tag : tags) {
            boolean found = false;
            for (String t : s.tags()) {
                if (t.equalsIgnoreCase(tag)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * ServiceNodes / ServiceTagNodes: the instances with every tag, each with its node (watched row by row);
     * the index is {@code maxIndexForService} (the service's own entry).
     */
    @Override
    public Indexed<List<ServiceInstance>> catalogServiceNodes(String service, List<String> tags) {
        List<ServiceRow> rows = instances(service);
        List<ServiceInstance> out = new ArrayList<>();
        for (ServiceRow r : rows) {
            if (!hasTags(r.service(), tags)) {
                continue;
            }
            watchKey(NODES, Schema.nodeKey(r.node()));
            Node n = node(r.node());
            if (n != null) {
                out.add(new ServiceInstance(n, r.service()));
            }
        }
        return new Indexed<>(maxIndexForService(service, !rows.isEmpty(), false), Collections.unmodifiableList(out));
    }

    /**
     * NodeServices: the node by name, else by a unique prefix of its ID (at least two characters, cut to an
     * even length), and its services; the node's own index, or the last node deletion's when there is no
     * such node (0 when the ID prefix is ambiguous).
     */
    @Override
    public Indexed<Optional<NodeServices>> catalogNodeServices(String nodeNameOrId) {
        watchKey(NODES, Schema.nodeKey(nodeNameOrId));
        Node n = node(nodeNameOrId);
        if (n == null) {
            if (nodeNameOrId.length() < 2) {
                return new Indexed<>(0, Optional.empty());
            }
            String prefix = nodeNameOrId.length() % 2 == 0 ? nodeNameOrId : nodeNameOrId.substring(0, nodeNameOrId.length() - 1);
            List<Node> matches = new ArrayList<>(2);
            for (Node candidate : root.table(NODES).byIndexPrefix(NODES, "uuid", Schema.lower(prefix))) {
                matches.add(candidate);
                if (matches.size() > 1) {
                    break;
                }
            }
            if (matches.isEmpty()) {
                return new Indexed<>(root.maxIndex(Schema.NODE_EXTINCTION), Optional.empty());
            }
            if (matches.size() > 1) {
                return new Indexed<>(0, Optional.empty());
            }
            n = matches.get(0);
            watchKey(NODES, Schema.nodeKey(n.node()));
        }
        watchSecondary(SERVICES, "node", Schema.lower(n.node()));
        Map<String, NodeService> services = new LinkedHashMap<>();
        for (ServiceRow r : root.table(SERVICES).byIndex(SERVICES, "node", Schema.lower(n.node()))) {
            services.put(r.service().id(), r.service());
        }
        Long own = root.indexes.get(Schema.nodeIndex(n.node()));
        long idx = own != null ? own : root.maxIndex(NODES, SERVICES);
        return new Indexed<>(idx, Optional.of(new NodeServices(n, services)));
    }

    /** NodeChecks: the node's checks in check ID order; the checks table's index. */
    @Override
    public Indexed<List<HealthCheck>> healthNodeChecks(String node) {
        watchSecondary(CHECKS, "node", Schema.lower(node));
        List<HealthCheck> out = list(root.table(CHECKS).byIndex(CHECKS, "node", Schema.lower(node)));
        return new Indexed<>(root.maxIndex(CHECKS), Collections.unmodifiableList(out));
    }

    /** Keeps the checks whose node satisfies the filter, watching every node looked at (ParseChecksByNodeMeta). */
    private List<HealthCheck> byNodeMeta(List<HealthCheck> checks, Map<String, String> nodeMeta) {
        if (nodeMeta.isEmpty()) {
            return checks;
        }
        List<HealthCheck> out = new ArrayList<>();
        for (HealthCheck c : checks) {
            watchKey(NODES, Schema.nodeKey(c.node()));
            if (satisfies(node(c.node()), nodeMeta)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * ServiceChecks / ServiceChecksByNodeMeta: the checks of every instance of the service; the checks
     * table's index, or with a node-meta filter the service's own ({@code maxIndexForService}).
     */
    @Override
    public Indexed<List<HealthCheck>> healthServiceChecks(String service, Map<String, String> nodeMeta) {
        watchSecondary(CHECKS, "service", Schema.lower(service));
        List<HealthCheck> checks = list(root.table(CHECKS).byIndex(CHECKS, "service", Schema.lower(service)));
        long idx = nodeMeta.isEmpty() ? root.maxIndex(CHECKS) : maxIndexForService(service, true, true);
        return new Indexed<>(idx, Collections.unmodifiableList(byNodeMeta(checks, nodeMeta)));
    }

    /** ChecksInState: the checks in a status ({@code any}: all of them); the checks table's index. */
    @Override
    public Indexed<List<HealthCheck>> healthChecksInState(String state, Map<String, String> nodeMeta) {
        List<HealthCheck> checks;
        if (Health.ANY.equals(state)) {
            watchIndex(CHECKS.name);
            checks = list(root.table(CHECKS).rows.valuesWithPrefix(""));
        } else {
            watchSecondary(CHECKS, "status", state);
            checks = list(root.table(CHECKS).byIndex(CHECKS, "status", state));
        }
        return new Indexed<>(root.maxIndex(CHECKS), Collections.unmodifiableList(byNodeMeta(checks, nodeMeta)));
    }

    /**
     * CheckServiceNodes / CheckServiceTagNodes: the instances with every tag, each with its node and checks
     * (node-level first, then the instance's own, each in check ID order). The index is
     * {@code maxIndexForService} with checks; the watch is the service's index-table entry, which every
     * change to an instance, its checks, its node or its node's checks touches, plus the instances by name
     * (Consul's optimised watch).
     */
    @Override
    public Indexed<List<CheckServiceNode>> healthServiceNodes(String service, List<String> tags) {
        List<ServiceRow> rows = instances(service);
        watchIndex(Schema.serviceIndex(service));
        List<CheckServiceNode> out = new ArrayList<>();
        TableData<HealthCheck> checks = root.table(CHECKS);
        for (ServiceRow r : rows) {
            if (!hasTags(r.service(), tags)) {
                continue;
            }
            Node n = node(r.node());
            if (n == null) {
                continue;
            }
            List<HealthCheck> cs = list(checks.byIndex(CHECKS, "node_service", Schema.nodeServiceKey(r.node(), "")));
            checks.byIndex(CHECKS, "node_service", Schema.nodeServiceKey(r.node(), r.service().id())).forEach(cs::add);
            out.add(new CheckServiceNode(n, r.service(), cs));
        }
        return new Indexed<>(maxIndexForService(service, !rows.isEmpty(), true), Collections.unmodifiableList(out));
    }
}
