package io.conclave.server.internal;

import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvOp;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StateStore;
import io.conclave.api.state.StoreView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Consul's KVS endpoint on a server: reads come from the local state store through its blocking
 * helper ({@link StoreReads}), writes go through consensus as {@link MessageType#KVS} commands.
 */
@Component(service = KvEndpoint.class, configurationPid = "io.conclave.agent",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class KvEndpointImpl implements KvEndpoint {

    private final Consensus consensus;
    private final StoreReads reads;
    private volatile String datacenter = StoreReads.DEFAULT_DATACENTER;

    @Activate
    public KvEndpointImpl(@Reference StateStore store, @Reference Consensus consensus, Map<String, Object> config) {
        this.consensus = consensus;
        this.reads = new StoreReads(store, consensus);
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        datacenter = StoreReads.datacenter(config);
    }

    @Override
    public CompletionStage<QueryResult<Optional<KvEntry>>> get(String key, QueryOptions options) {
        return read(options, view -> view.kvGet(key));
    }

    @Override
    public CompletionStage<QueryResult<List<KvEntry>>> list(String prefix, QueryOptions options) {
        return read(options, view -> view.kvList(prefix));
    }

    @Override
    public CompletionStage<QueryResult<List<String>>> keys(String prefix, String separator, QueryOptions options) {
        return read(options, view -> view.kvKeys(prefix, separator == null ? "" : separator));
    }

    @Override
    public CompletionStage<Boolean> apply(KvRequest request) {
        if (request.key().isEmpty() && request.op() != KvOp.DELETE_TREE) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Missing key name"));
        }
        return consensus.propose(Command.of(MessageType.KVS, request.encode()))
                .thenApply(result -> !(result.response() instanceof Boolean b) || b);
    }

    private <T> CompletionStage<QueryResult<T>> read(QueryOptions options, Function<StoreView, Indexed<T>> query) {
        return reads.read(datacenter, options, query);
    }
}
