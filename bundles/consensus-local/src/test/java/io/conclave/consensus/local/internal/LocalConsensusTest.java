package io.conclave.consensus.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.consensus.ApplyResult;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.state.UnknownCommandException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalConsensusTest {

    private static Command kv(int n) {
        return new Command(2, ByteBuffer.allocate(4).putInt(n).array());
    }

    private static int payload(Command c) {
        return ByteBuffer.wrap(c.payload()).getInt();
    }

    private static ApplyResult done(java.util.concurrent.CompletionStage<ApplyResult> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void emptyStoreStartsAtIndexOneAndIndexesRiseByOne() throws Exception {
        RecordingStateMachine sm = new RecordingStateMachine(0);
        LocalConsensus c = new LocalConsensus(sm, Map.of());
        for (int i = 1; i <= 5; i++) {
            ApplyResult r = done(c.propose(kv(i)));
            assertEquals(i, r.index());
            assertEquals("ok@" + i, r.response());
        }
        assertEquals(5, sm.applied.size());
    }

    @Test
    void startsAfterTheStateMachinesLastIndex() throws Exception {
        LocalConsensus c = new LocalConsensus(new RecordingStateMachine(41), Map.of());
        assertEquals(42, done(c.propose(kv(1))).index());
        assertEquals(43, done(c.propose(kv(2))).index());
    }

    @Test
    void stageIsCompleteWhenProposeReturnsSoAReadSeesTheWrite() {
        RecordingStateMachine sm = new RecordingStateMachine(0);
        LocalConsensus c = new LocalConsensus(sm, Map.of());
        CompletableFuture<ApplyResult> f = c.propose(kv(7)).toCompletableFuture();
        assertTrue(f.isDone());
        assertEquals(1, sm.lastIndex());
    }

    @Test
    void concurrentProposalsApplyExactlyOnceInOneTotalOrder() throws Exception {
        RecordingStateMachine sm = new RecordingStateMachine(0);
        LocalConsensus c = new LocalConsensus(sm, Map.of());
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<ApplyResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<ApplyResult> results = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        results.add(done(c.propose(kv(base + i))));
                    }
                    return results;
                }));
            }
            go.countDown();
            Set<Long> indexes = new HashSet<>();
            for (Future<List<ApplyResult>> f : futures) {
                long previous = 0;
                for (ApplyResult r : f.get(60, TimeUnit.SECONDS)) {
                    assertTrue(indexes.add(r.index()), "index " + r.index() + " given twice");
                    assertTrue(r.index() > previous, "one thread's proposals keep their order");
                    previous = r.index();
                }
            }
            int total = threads * perThread;
            assertEquals(total, indexes.size());
            assertEquals(total, sm.applied.size());
            Set<Integer> payloads = new HashSet<>();
            for (int i = 0; i < total; i++) {
                RecordingStateMachine.Applied a = sm.applied.get(i);
                assertEquals(i + 1, a.index(), "applied in index order with no gaps");
                assertTrue(payloads.add(payload(a.command())), "applied once");
            }
            assertEquals(total, payloads.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownCommandStopsAllLaterProposals() throws Exception {
        RecordingStateMachine sm = new RecordingStateMachine(0);
        LocalConsensus c = new LocalConsensus(sm, Map.of());
        done(c.propose(kv(1)));

        ExecutionException first = assertThrows(ExecutionException.class,
                () -> done(c.propose(new Command(RecordingStateMachine.UNKNOWN, new byte[0]))));
        assertInstanceOf(UnknownCommandException.class, first.getCause());

        ExecutionException later = assertThrows(ExecutionException.class, () -> done(c.propose(kv(2))));
        IllegalStateException stopped = assertInstanceOf(IllegalStateException.class, later.getCause());
        assertTrue(stopped.getMessage().contains("unknown command type 99 at index 2"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("stopped at index 2"), stopped.getMessage());
        assertSame(first.getCause(), stopped.getCause());
        assertEquals(1, sm.applied.size(), "nothing applied after the stop");
        assertTrue(c.verifyLeader().toCompletableFuture().isCompletedExceptionally());
    }

    @Test
    void rejectedCommandConsumesItsIndexButDoesNotStop() throws Exception {
        RecordingStateMachine sm = new RecordingStateMachine(0);
        LocalConsensus c = new LocalConsensus(sm, Map.of());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> done(c.propose(new Command(RecordingStateMachine.INVALID, new byte[0]))));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(2, done(c.propose(kv(1))).index());
    }

    @Test
    void callbacksNeverRunUnderTheApplyLock() throws Exception {
        LocalConsensus c = new LocalConsensus(new RecordingStateMachine(0), Map.of());
        CompletableFuture<Boolean> held = c.propose(kv(1)).toCompletableFuture()
                .thenApply(r -> c.applyLockHeldByCurrentThread());
        assertFalse(held.get(10, TimeUnit.SECONDS));
        // A callback that proposes again must not deadlock or reorder.
        ApplyResult nested = c.propose(kv(2)).thenCompose(r -> c.propose(kv(3))).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(3, nested.index());
    }

    @Test
    void statusNamesThisServerAsLeaderFromConfiguration() {
        LocalConsensus c = new LocalConsensus(new RecordingStateMachine(0), Map.of());
        ConsensusStatus s = c.status();
        assertEquals("127.0.0.1:8300", s.leader());
        assertEquals(List.of("127.0.0.1:8300"), s.peers());
        assertTrue(s.isLeader());
        assertTrue(s.knownLeader());
        assertEquals(0, s.lastContactMillis());

        c.modified(Map.of("advertise_addr", "10.1.2.3", "server_port", 9300));
        assertEquals("10.1.2.3:9300", c.status().leader());
        c.modified(Map.of("advertise_addr", "::1", "server_port", "8301"));
        assertEquals("[::1]:8301", c.status().leader());
        c.modified(Map.of("server_port", "nonsense"));
        assertEquals("127.0.0.1:8300", c.status().leader());
    }

    @Test
    void verifyLeaderCompletesAtOnce() {
        LocalConsensus c = new LocalConsensus(new RecordingStateMachine(0), Map.of());
        assertTrue(c.verifyLeader().toCompletableFuture().isDone());
        assertFalse(c.verifyLeader().toCompletableFuture().isCompletedExceptionally());
    }
}
