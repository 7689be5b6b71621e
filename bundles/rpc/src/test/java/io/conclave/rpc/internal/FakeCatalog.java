package io.conclave.rpc.internal;

import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A catalog with two nodes and one service; records what it was asked. Node "boom" fails registration
 * with the catalog's refusal type; the node-meta overload filters by the nodes' metadata.
 */
final class FakeCatalog implements CatalogEndpoint {

    final List<RegisterRequest> registered = new ArrayList<>();
    final List<DeregisterRequest> deregistered = new ArrayList<>();
    volatile QueryOptions lastOptions;
    volatile Map<String, String> lastNodeMeta;

    static final QueryMeta META = new QueryMeta(21, true, 3);

    @Override
    public synchronized CompletionStage<Void> register(RegisterRequest request) {
        if (request.node().node().equals("boom")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide node"));
        }
        registered.add(request);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> deregister(DeregisterRequest request) {
        deregistered.add(request);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<String> datacenters() {
        return List.of("dc1", "dc2");
    }

    @Override
    public CompletionStage<QueryResult<List<Node>>> nodes(QueryOptions options) {
        lastOptions = options;
        return CompletableFuture.completedFuture(new QueryResult<>(List.of(Samples.NODE, Samples.OTHER_NODE), META));
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(QueryOptions options) {
        lastOptions = options;
        lastNodeMeta = null;
        Map<String, List<String>> services = new LinkedHashMap<>();
        services.put("consul", List.of());
        services.put("web", List.of("primary", "v1"));
        return CompletableFuture.completedFuture(new QueryResult<>(services, META));
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(Map<String, String> nodeMeta,
                                                                            QueryOptions options) {
        lastOptions = options;
        lastNodeMeta = nodeMeta;
        Map<String, List<String>> services = new LinkedHashMap<>();
        if (Samples.NODE.meta().entrySet().containsAll(nodeMeta.entrySet())) {
            services.put("web", List.of("primary", "v1"));
        }
        return CompletableFuture.completedFuture(new QueryResult<>(services, META));
    }

    @Override
    public CompletionStage<QueryResult<List<ServiceInstance>>> service(String name, List<String> tags,
                                                                       QueryOptions options) {
        lastOptions = options;
        boolean match = name.equals("web") && Samples.WEB.tags().containsAll(tags);
        return CompletableFuture.completedFuture(new QueryResult<>(match ? List.of(Samples.INSTANCE) : List.of(), META));
    }

    @Override
    public CompletionStage<QueryResult<Optional<NodeServices>>> node(String node, QueryOptions options) {
        lastOptions = options;
        Optional<NodeServices> ns = node.equals("node-1") ? Optional.of(Samples.NODE_SERVICES) : Optional.empty();
        return CompletableFuture.completedFuture(new QueryResult<>(ns, META));
    }
}
