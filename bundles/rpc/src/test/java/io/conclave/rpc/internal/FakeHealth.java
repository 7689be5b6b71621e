package io.conclave.rpc.internal;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Health reads over {@link Samples}: node-1 has serfHealth and web's check. Only the node-meta overloads
 * filter; calling the plain methods with a filter would be a forwarding bug, and {@link #lastNodeMeta} shows it.
 */
final class FakeHealth implements HealthEndpoint {

    static final QueryMeta META = new QueryMeta(33, false, 250);

    volatile Map<String, String> lastNodeMeta;
    volatile QueryOptions lastOptions;

    private static CompletionStage<QueryResult<List<HealthCheck>>> answer(List<HealthCheck> checks) {
        return CompletableFuture.completedFuture(new QueryResult<>(checks, META));
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> node(String node, QueryOptions options) {
        lastOptions = options;
        return answer(node.equals("node-1") ? List.of(Samples.SERF, Samples.WEB_CHECK) : List.of());
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, QueryOptions options) {
        lastOptions = options;
        lastNodeMeta = null;
        return answer(service.equals("web") ? List.of(Samples.WEB_CHECK) : List.of());
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, Map<String, String> nodeMeta,
                                                                  QueryOptions options) {
        lastOptions = options;
        lastNodeMeta = nodeMeta;
        boolean nodeMatches = Samples.NODE.meta().entrySet().containsAll(nodeMeta.entrySet());
        return answer(service.equals("web") && nodeMatches ? List.of(Samples.WEB_CHECK) : List.of());
    }

    @Override
    public CompletionStage<QueryResult<List<CheckServiceNode>>> service(String name, List<String> tags,
                                                                        boolean passingOnly, QueryOptions options) {
        lastOptions = options;
        // web's check is "warning", so passingOnly drops the instance
        boolean match = name.equals("web") && Samples.WEB.tags().containsAll(tags) && !passingOnly;
        return CompletableFuture.completedFuture(new QueryResult<>(
                match ? List.of(Samples.CHECK_SERVICE_NODE) : List.of(), META));
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, QueryOptions options) {
        lastOptions = options;
        lastNodeMeta = null;
        if (state.equals("bogus")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Invalid state bogus"));
        }
        return answer(List.of(Samples.SERF, Samples.WEB_CHECK).stream()
                .filter(c -> state.equals("any") || c.status().equals(state)).toList());
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, Map<String, String> nodeMeta,
                                                                 QueryOptions options) {
        lastOptions = options;
        lastNodeMeta = nodeMeta;
        boolean nodeMatches = Samples.NODE.meta().entrySet().containsAll(nodeMeta.entrySet());
        return answer(!nodeMatches ? List.of() : List.of(Samples.SERF, Samples.WEB_CHECK).stream()
                .filter(c -> state.equals("any") || c.status().equals(state)).toList());
    }
}
