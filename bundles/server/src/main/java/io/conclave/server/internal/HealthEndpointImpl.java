package io.conclave.server.internal;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Consul's Health endpoint on a server ({@code agent/consul/health_endpoint.go}): every read goes through
 * the store's blocking helper. A state that is not a check status is not refused, as Consul does not refuse
 * it: no check is in it.
 */
@Component(service = HealthEndpoint.class, configurationPid = StoreReads.AGENT_PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class HealthEndpointImpl implements HealthEndpoint {

    private final StoreReads reads;
    private volatile String datacenter = StoreReads.DEFAULT_DATACENTER;

    @Activate
    public HealthEndpointImpl(@Reference StateStore store, @Reference Consensus consensus, Map<String, Object> config) {
        this.reads = new StoreReads(store, consensus);
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        datacenter = StoreReads.datacenter(config);
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> node(String node, QueryOptions options) {
        if (node == null || node.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide node"));
        }
        return reads.read(datacenter, options, view -> view.healthNodeChecks(node));
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, QueryOptions options) {
        return checks(service, Map.of(), options);
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, Map<String, String> nodeMeta,
                                                                  QueryOptions options) {
        if (service == null || service.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide service name"));
        }
        Map<String, String> meta = Map.copyOf(nodeMeta);
        return reads.read(datacenter, options, view -> view.healthServiceChecks(service, meta));
    }

    @Override
    public CompletionStage<QueryResult<List<CheckServiceNode>>> service(String name, List<String> tags,
                                                                        boolean passingOnly, QueryOptions options) {
        if (name == null || name.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide service name"));
        }
        List<String> t = tags == null ? List.of() : List.copyOf(tags);
        CompletionStage<QueryResult<List<CheckServiceNode>>> read =
                reads.read(datacenter, options, view -> view.healthServiceNodes(name, t));
        if (!passingOnly) {
            return read;
        }
        return read.thenApply(r -> new QueryResult<>(onlyPassing(r.value()), r.meta()));
    }

    /**
     * The HTTP layer's {@code filterNonPassing}: drops every instance with a check (node checks included)
     * that is not passing. Like Consul's, it moves the last remaining instance into each dropped one's place,
     * so the order of what is left is Consul's too.
     */
    static List<CheckServiceNode> onlyPassing(List<CheckServiceNode> nodes) {
        List<CheckServiceNode> out = new ArrayList<>(nodes);
        int n = out.size();
        outer:
        for (int i = 0; i < n; i++) {
            for (HealthCheck c : out.get(i).checks()) {
                if (!Health.PASSING.equals(c.status())) {
                    out.set(i, out.get(n - 1));
                    n--;
                    i--;
                    continue outer;
                }
            }
        }
        return List.copyOf(out.subList(0, n));
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, QueryOptions options) {
        return state(state, Map.of(), options);
    }

    @Override
    public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, Map<String, String> nodeMeta,
                                                                 QueryOptions options) {
        if (state == null || state.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Missing check state"));
        }
        Map<String, String> meta = Map.copyOf(nodeMeta);
        return reads.read(datacenter, options, view -> view.healthChecksInState(state, meta));
    }
}
