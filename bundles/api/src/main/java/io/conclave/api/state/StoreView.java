package io.conclave.api.state;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.kv.KvEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An immutable point-in-time view of the state store. Every read records what it looked at, so a
 * blocking query run against this view knows what to watch without being told.
 */
@ProviderType
public interface StoreView {

    /** The index of the last write visible in this view. */
    long index();

    /** A key; the index is its ModifyIndex, or the KV table index when it is absent. */
    Indexed<Optional<KvEntry>> kvGet(String key);

    /** Every entry whose key starts with {@code prefix}, in key order. */
    Indexed<List<KvEntry>> kvList(String prefix);

    /**
     * The keys under {@code prefix}; with a non-empty {@code separator}, keys are cut after the
     * first separator following the prefix and de-duplicated (Consul's "folders").
     */
    Indexed<List<String>> kvKeys(String prefix, String separator);

    // ---- catalog (Consul's agent/consul/state/catalog.go) ----
    //
    // Names are matched as Consul's memdb indexes match them: node names, service IDs, check IDs and
    // service names case-insensitively; check statuses exactly. Results come in index order (node name,
    // then service or check ID). A nodeMeta map, where taken, keeps only items whose node has every
    // key with exactly that value (Consul's node-meta filter), empty meaning no filter.

    /** Every node; the index is the nodes table's. */
    Indexed<List<Node>> catalogNodes();

    /**
     * Service name (in order) to the sorted, de-duplicated union of its instances' tags; the index is the
     * services table's, or the larger of services and nodes with a node-meta filter.
     */
    Indexed<Map<String, List<String>>> catalogServices(Map<String, String> nodeMeta);

    /**
     * The instances of a service having every one of {@code tags} (case-insensitive; empty for no tag
     * filter), each with its node; the index is the service's own (Consul's {@code maxIndexForService}).
     */
    Indexed<List<ServiceInstance>> catalogServiceNodes(String service, List<String> tags);

    /**
     * A node (by name, or by a unique prefix of its ID) and its services; the index is the node's own
     * (empty: the last node deletion's).
     */
    Indexed<Optional<NodeServices>> catalogNodeServices(String node);

    /** A node's checks; the index is the checks table's. */
    Indexed<List<HealthCheck>> healthNodeChecks(String node);

    /** The checks of every instance of a service. */
    Indexed<List<HealthCheck>> healthServiceChecks(String service, Map<String, String> nodeMeta);

    /** Checks whose status is {@code state} exactly, or every check for {@code any}; the checks table's index. */
    Indexed<List<HealthCheck>> healthChecksInState(String state, Map<String, String> nodeMeta);

    /**
     * The instances of a service having every one of {@code tags}, each with its node and the node's and
     * its own checks (node checks first); the index is the service's own.
     */
    Indexed<List<CheckServiceNode>> healthServiceNodes(String service, List<String> tags);
}
