package io.conclave.api.catalog;

import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** Consul's Health endpoint: the catalog read through its checks. */
@ProviderType
public interface HealthEndpoint {

    CompletionStage<QueryResult<List<HealthCheck>>> node(String node, QueryOptions options);

    CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, QueryOptions options);

    /**
     * {@link #checks(String, QueryOptions)} keeping only checks on nodes having every {@code nodeMeta} pair
     * (Consul's {@code ?node-meta=k:v}; a check does not carry its node's metadata, so the caller cannot
     * apply it). The default serves only an empty filter.
     */
    default CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, Map<String, String> nodeMeta,
                                                                   QueryOptions options) {
        if (nodeMeta.isEmpty()) {
            return checks(service, options);
        }
        throw new UnsupportedOperationException("this health endpoint cannot filter by node metadata");
    }

    /**
     * Instances of a service with every one of {@code tags}, each with its node's and its own checks;
     * with {@code passingOnly}, instances with any non-passing check (node checks included) are dropped.
     */
    CompletionStage<QueryResult<List<CheckServiceNode>>> service(String name, List<String> tags, boolean passingOnly,
                                                                 QueryOptions options);

    /** Checks in a state: {@code passing}, {@code warning}, {@code critical} or {@code any}. */
    CompletionStage<QueryResult<List<HealthCheck>>> state(String state, QueryOptions options);

    /** {@link #state(String, QueryOptions)} with a node-meta filter, as {@link #checks(String, Map, QueryOptions)}. */
    default CompletionStage<QueryResult<List<HealthCheck>>> state(String state, Map<String, String> nodeMeta,
                                                                  QueryOptions options) {
        if (nodeMeta.isEmpty()) {
            return state(state, options);
        }
        throw new UnsupportedOperationException("this health endpoint cannot filter by node metadata");
    }
}
