package io.conclave.rpc.internal;

import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A client agent's {@link CatalogEndpoint}: every call goes to a server, the node-meta filtered
 * {@code services} too (the interface's default could only refuse it).
 */
final class ForwardingCatalog implements CatalogEndpoint {

    private final RpcClient client;

    ForwardingCatalog(RpcClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<Void> register(RegisterRequest request) {
        return client.call(Methods.CATALOG_REGISTER, request, null).thenApply(v -> null);
    }

    @Override
    public CompletionStage<Void> deregister(DeregisterRequest request) {
        return client.call(Methods.CATALOG_DEREGISTER, request, null).thenApply(v -> null);
    }

    @Override
    public List<String> datacenters() {
        return client.callAndWait(Methods.CATALOG_LIST_DATACENTERS, Methods.Empty.INSTANCE);
    }

    @Override
    public CompletionStage<QueryResult<List<Node>>> nodes(QueryOptions options) {
        return client.call(Methods.CATALOG_LIST_NODES, options, options);
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(QueryOptions options) {
        return services(Map.of(), options);
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(Map<String, String> nodeMeta,
                                                                            QueryOptions options) {
        return client.call(Methods.CATALOG_LIST_SERVICES, new Methods.MetaRead("", nodeMeta, options), options);
    }

    @Override
    public CompletionStage<QueryResult<List<ServiceInstance>>> service(String name, List<String> tags,
                                                                       QueryOptions options) {
        return client.call(Methods.CATALOG_SERVICE_NODES, new Methods.TaggedRead(name, tags, false, options), options);
    }

    @Override
    public CompletionStage<QueryResult<Optional<NodeServices>>> node(String node, QueryOptions options) {
        return client.call(Methods.CATALOG_NODE_SERVICES, new Methods.NamedRead(node, options), options);
    }
}
