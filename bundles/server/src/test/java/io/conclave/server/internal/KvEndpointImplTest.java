package io.conclave.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.consensus.ApplyResult;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvOp;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StateStore;
import io.conclave.api.state.StoreView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KvEndpointImplTest {

    /** Records proposals and answers them with a fixed response; counts leadership checks. */
    static final class RecordingConsensus implements Consensus {
        final List<Command> proposed = new ArrayList<>();
        Object response = Boolean.TRUE;
        int verifications;

        @Override
        public CompletionStage<ApplyResult> propose(Command command) {
            proposed.add(command);
            return CompletableFuture.completedFuture(new ApplyResult(proposed.size(), response));
        }

        @Override
        public ConsensusStatus status() {
            return new ConsensusStatus("127.0.0.1:8300", List.of("127.0.0.1:8300"), true, 0);
        }

        @Override
        public CompletionStage<Void> verifyLeader() {
            verifications++;
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A store with one key whose queries answer at once with the index they were given. */
    static final class OneKeyStore implements StateStore {
        final KvEntry entry = new KvEntry("a", 5, 7, 0, 0, new byte[] {1}, null);
        long lastMinIndex = -1;
        CompletableFuture<?> parked;

        @Override
        public StoreView view() {
            return new StoreView() {
                @Override
                public long index() {
                    return 7;
                }

                @Override
                public Indexed<Optional<KvEntry>> kvGet(String key) {
                    return key.equals("a") ? new Indexed<>(7, Optional.of(entry)) : new Indexed<>(0, Optional.empty());
                }

                @Override
                public Indexed<List<KvEntry>> kvList(String prefix) {
                    return new Indexed<>(7, "a".startsWith(prefix) ? List.of(entry) : List.of());
                }

                @Override
                public Indexed<List<String>> kvKeys(String prefix, String separator) {
                    return new Indexed<>(7, List.of("a"));
                }

                @Override
                public Indexed<List<io.conclave.api.catalog.Node>> catalogNodes() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Indexed<Map<String, List<String>>> catalogServices(Map<String, String> nodeMeta) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Indexed<List<io.conclave.api.catalog.ServiceInstance>> catalogServiceNodes(String s, List<String> t) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Indexed<Optional<io.conclave.api.catalog.NodeServices>> catalogNodeServices(String node) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Indexed<List<io.conclave.api.catalog.HealthCheck>> healthNodeChecks(String node) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Indexed<List<io.conclave.api.catalog.HealthCheck>> healthServiceChecks(String s, Map<String, String> m) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Indexed<List<io.conclave.api.catalog.HealthCheck>> healthChecksInState(String s, Map<String, String> m) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Indexed<List<io.conclave.api.catalog.CheckServiceNode>> healthServiceNodes(String s, List<String> t) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public <T> CompletionStage<Indexed<T>> query(long minIndex, Duration maxWait, Function<StoreView, Indexed<T>> query) {
            lastMinIndex = minIndex;
            Indexed<T> now = query.apply(view());
            if (minIndex > 0 && now.index() <= minIndex) {
                CompletableFuture<Indexed<T>> waiting = new CompletableFuture<>();
                parked = waiting;
                return waiting;
            }
            return CompletableFuture.completedFuture(now);
        }

        @Override
        public int parkedQueries() {
            return 0;
        }
    }

    private final RecordingConsensus consensus = new RecordingConsensus();
    private final OneKeyStore store = new OneKeyStore();
    private final KvEndpointImpl endpoint = new KvEndpointImpl(store, consensus, Map.of("datacenter", "dc7"));

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void readsCarryTheStoreIndexAndLeaderMeta() throws Exception {
        QueryResult<Optional<KvEntry>> result = await(endpoint.get("a", new QueryOptions("dc7", 3, Duration.ofSeconds(1), Consistency.DEFAULT)));
        assertEquals(store.entry, result.value().orElseThrow());
        assertEquals(7, result.meta().index());
        assertTrue(result.meta().knownLeader());
        assertEquals(3, store.lastMinIndex);
    }

    @Test
    void cancellingAParkedReadCancelsTheStoreQuery() {
        CompletableFuture<QueryResult<Optional<KvEntry>>> read = endpoint.get("a",
                new QueryOptions(null, 7, Duration.ofMinutes(5), Consistency.DEFAULT)).toCompletableFuture();
        assertFalse(read.isDone());
        assertTrue(read.cancel(false));
        assertTrue(store.parked.isCancelled());
    }

    @Test
    void anEmptyStoreIndexIsRaisedToOne() throws Exception {
        QueryResult<Optional<KvEntry>> result = await(endpoint.get("missing", QueryOptions.now()));
        assertFalse(result.value().isPresent());
        assertEquals(1, result.meta().index());
    }

    @Test
    void anotherDatacenterHasNoPath() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(endpoint.list("", new QueryOptions("dc2", 0, Duration.ofSeconds(1), Consistency.DEFAULT))));
        assertInstanceOf(DatacenterNotFoundException.class, e.getCause());
        assertEquals("No path to datacenter", e.getCause().getMessage());
    }

    @Test
    void consistentReadsVerifyLeadershipFirst() throws Exception {
        await(endpoint.keys("", "/", new QueryOptions(null, 0, Duration.ofSeconds(1), Consistency.CONSISTENT)));
        assertEquals(1, consensus.verifications);
        await(endpoint.keys("", "/", new QueryOptions(null, 0, Duration.ofSeconds(1), Consistency.STALE)));
        assertEquals(1, consensus.verifications);
    }

    @Test
    void writesAreProposedAsKvsCommands() throws Exception {
        KvRequest request = KvRequest.cas("k", new byte[] {9}, 3, 11);
        consensus.response = Boolean.FALSE;
        assertFalse(await(endpoint.apply(request)));
        Command command = consensus.proposed.get(0);
        assertEquals(MessageType.KVS.code(), command.code());
        assertEquals(request, KvRequest.decode(command.payload()));
    }

    @Test
    void aWriteWithoutAKeyIsRefusedButADeleteTreeOfEverythingIsNot() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(endpoint.apply(KvRequest.set("", null, 0))));
        assertEquals("Missing key name", e.getCause().getMessage());
        assertTrue(await(endpoint.apply(KvRequest.deleteTree(""))));
        assertEquals(KvOp.DELETE_TREE, KvRequest.decode(consensus.proposed.get(0).payload()).op());
    }
}
