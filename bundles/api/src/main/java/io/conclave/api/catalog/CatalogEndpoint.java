package io.conclave.api.catalog;

import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Consul's Catalog endpoint. Reads block per {@link QueryOptions} like {@code KvEndpoint}'s; the
 * {@code filter} expression and {@code node-meta} are applied by the caller (HTTP) to the items.
 */
@ProviderType
public interface CatalogEndpoint {

    CompletionStage<Void> register(RegisterRequest request);

    CompletionStage<Void> deregister(DeregisterRequest request);

    /** Known datacenters, this one first (others once WAN gossip exists). */
    List<String> datacenters();

    CompletionStage<QueryResult<List<Node>>> nodes(QueryOptions options);

    /** Service name → the union of its instances' tags (de-duplicated, sorted). */
    CompletionStage<QueryResult<Map<String, List<String>>>> services(QueryOptions options);

    /**
     * {@link #services(QueryOptions)} counting only instances on nodes having every {@code nodeMeta} pair
     * (Consul's {@code ?node-meta=k:v}, which the caller cannot apply to a name-to-tags map). The default
     * serves only an empty filter.
     */
    default CompletionStage<QueryResult<Map<String, List<String>>>> services(Map<String, String> nodeMeta,
                                                                             QueryOptions options) {
        if (nodeMeta.isEmpty()) {
            return services(options);
        }
        throw new UnsupportedOperationException("this catalog endpoint cannot filter by node metadata");
    }

    /** Instances of a service having every one of {@code tags}; sorted by node name then service ID. */
    CompletionStage<QueryResult<List<ServiceInstance>>> service(String name, List<String> tags, QueryOptions options);

    CompletionStage<QueryResult<Optional<NodeServices>>> node(String node, QueryOptions options);
}
