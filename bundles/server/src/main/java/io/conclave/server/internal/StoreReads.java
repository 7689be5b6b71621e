package io.conclave.server.internal;

import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StateStore;
import io.conclave.api.state.StoreView;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * How every server endpoint reads (Consul's {@code blockingQuery} on the server side): the datacenter is
 * checked, a {@code ?consistent} read first has the leader confirm itself, then the query runs through the
 * store's one blocking helper, and the answer carries the consensus status as its {@link QueryMeta}.
 * Cancelling the returned stage (HTTP does when the client hangs up) cancels the store's query too, so a
 * parked query is released at once.
 */
final class StoreReads {

    static final String AGENT_PID = "io.conclave.agent";
    static final String DEFAULT_DATACENTER = "dc1";

    private final StateStore store;
    private final Consensus consensus;

    StoreReads(StateStore store, Consensus consensus) {
        this.store = store;
        this.consensus = consensus;
    }

    /** The {@code datacenter} of the agent's configuration, {@code dc1} when absent or empty. */
    static String datacenter(Map<String, Object> config) {
        Object dc = config == null ? null : config.get("datacenter");
        return dc == null || dc.toString().isEmpty() ? DEFAULT_DATACENTER : dc.toString();
    }

    /** Fails with {@link DatacenterNotFoundException} for a datacenter other than {@code own}. */
    static void checkDatacenter(String requested, String own) {
        if (requested != null && !requested.isEmpty() && !requested.equals(own)) {
            throw new DatacenterNotFoundException(requested);
        }
    }

    <T> CompletionStage<QueryResult<T>> read(String ownDatacenter, QueryOptions options,
                                             Function<StoreView, Indexed<T>> query) {
        try {
            checkDatacenter(options.datacenter(), ownDatacenter);
        } catch (DatacenterNotFoundException e) {
            return CompletableFuture.failedFuture(e);
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
            CompletableFuture<Indexed<T>> stored;
            try {
                stored = store.query(options.minIndex(), options.maxWait(), query).toCompletableFuture();
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
                return;
            }
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

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    QueryMeta meta(long index) {
        ConsensusStatus status = consensus.status();
        return new QueryMeta(index, status.knownLeader(), status.lastContactMillis());
    }
}
