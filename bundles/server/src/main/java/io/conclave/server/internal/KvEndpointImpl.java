package io.conclave.server.internal;

import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvOp;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StateStore;
import io.conclave.api.state.StoreView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Consul's KVS endpoint on a server: reads come from the local state store through its blocking
 * helper, writes go through consensus as {@link MessageType#KVS} commands.
 */
@Component(service = KvEndpoint.class, configurationPid = "io.conclave.agent",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class KvEndpointImpl implements KvEndpoint {

    private final StateStore store;
    private final Consensus consensus;
    private volatile String datacenter = "dc1";

    @Activate
    public KvEndpointImpl(@Reference StateStore store, @Reference Consensus consensus, Map<String, Object> config) {
        this.store = store;
        this.consensus = consensus;
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        Object dc = config.get("datacenter");
        datacenter = dc == null || dc.toString().isEmpty() ? "dc1" : dc.toString();
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

    /**
     * Runs a read through the store's blocking helper. Cancelling the returned stage (HTTP does when
     * the client hangs up) cancels the store's query too, so a parked query is released at once.
     */
    private <T> CompletionStage<QueryResult<T>> read(QueryOptions options, Function<StoreView, Indexed<T>> query) {
        if (options.datacenter() != null && !options.datacenter().isEmpty()
                && !options.datacenter().equals(datacenter)) {
            return CompletableFuture.failedFuture(new DatacenterNotFoundException(options.datacenter()));
        }
        CompletionStage<Void> ready = options.consistency() == Consistency.CONSISTENT
                ? consensus.verifyLeader()
                : CompletableFuture.completedFuture(null);
        CompletableFuture<QueryResult<T>> answer = new CompletableFuture<>();
        AtomicReference<CompletableFuture<Indexed<T>>> parked = new AtomicReference<>();
        ready.whenComplete((ignored, leaderError) -> {
            if (leaderError != null) {
                answer.completeExceptionally(unwrap(leaderError));
                return;
            }
            CompletableFuture<Indexed<T>> stored =
                    store.query(options.minIndex(), options.maxWait(), query).toCompletableFuture();
            parked.set(stored);
            stored.whenComplete((indexed, error) -> {
                if (error != null) {
                    answer.completeExceptionally(unwrap(error));
                } else {
                    answer.complete(new QueryResult<>(indexed.value(), meta(indexed.index())));
                }
            });
            if (answer.isCancelled()) {
                stored.cancel(false);
            }
        });
        answer.whenComplete((result, error) -> {
            CompletableFuture<Indexed<T>> stored = parked.get();
            if (answer.isCancelled() && stored != null) {
                stored.cancel(false);
            }
        });
        return answer;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private QueryMeta meta(long index) {
        ConsensusStatus status = consensus.status();
        return new QueryMeta(index, status.knownLeader(), status.lastContactMillis());
    }
}
