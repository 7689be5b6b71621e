package io.conclave.rpc.internal;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** A client agent's {@link HealthEndpoint}: every call goes to a server, node-meta filtered ones too. */
final class ForwardingHealth implements HealthEndpoint {

    private final RpcClient client;

    ForwardingHealth(RpcClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> node(String node, QueryOptions options) {
        return client.call(Methods.HEALTH_NODE_CHECKS, new Methods.NamedRead(node, options), options);
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, QueryOptions options) {
        return checks(service, Map.of(), options);
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, Map<String, String> nodeMeta,
                                                                  QueryOptions options) {
        return client.call(Methods.HEALTH_SERVICE_CHECKS, new Methods.MetaRead(service, nodeMeta, options), options);
    }

    @Override
    public CompletionStage<QueryResult<List<CheckServiceNode>>> service(String name, List<String> tags,
                                                                        boolean passingOnly, QueryOptions options) {
        return client.call(Methods.HEALTH_SERVICE_NODES, new Methods.TaggedRead(name, tags, passingOnly, options),
                options);
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, QueryOptions options) {
        return state(state, Map.of(), options);
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, Map<String, String> nodeMeta,
                                                                 QueryOptions options) {
        return client.call(Methods.HEALTH_CHECKS_IN_STATE, new Methods.MetaRead(state, nodeMeta, options), options);
    }
}
