package io.conclave.api.catalog;

import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** Consul's Health endpoint: the catalog read through its checks. */
@ProviderType
public interface HealthEndpoint {

    CompletionStage<QueryResult<List<HealthCheck>>> node(String node, QueryOptions options);

    CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, QueryOptions options);

    /**
     * Instances of a service with every one of {@code tags}, each with its node's and its own checks;
     * with {@code passingOnly}, instances with any non-passing check (node checks included) are dropped.
     */
    CompletionStage<QueryResult<List<CheckServiceNode>>> service(String name, List<String> tags, boolean passingOnly,
                                                                 QueryOptions options);

    /** Checks in a state: {@code passing}, {@code warning}, {@code critical} or {@code any}. */
    CompletionStage<QueryResult<List<HealthCheck>>> state(String state, QueryOptions options);
}
