package io.conclave.server.internal;

import io.conclave.api.consensus.ApplyResult;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.consensus.NotLeaderException;
import io.conclave.api.state.StateMachine;
import io.conclave.api.state.StateStore;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real state store behind a one-node consensus that applies each proposal at once (as the dev
 * consensus does), for endpoint tests that check behaviour end to end rather than against a fake.
 */
final class TestCluster implements AutoCloseable {

    final Object storeComponent;
    final StateStore store;
    final StateMachine machine;
    final Applying consensus;

    TestCluster() {
        try {
            Class<?> type = Class.forName("io.conclave.store.internal.ConclaveStateStore");
            storeComponent = type.getConstructor().newInstance();
            invoke("activate");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        store = (StateStore) storeComponent;
        machine = (StateMachine) storeComponent;
        consensus = new Applying(machine);
    }

    private void invoke(String method) throws ReflectiveOperationException {
        Method m = storeComponent.getClass().getDeclaredMethod(method);
        m.setAccessible(true);
        m.invoke(storeComponent);
    }

    @Override
    public void close() {
        try {
            invoke("deactivate");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies every proposal at the next index on the calling thread; can pretend to have no leader. */
    static final class Applying implements Consensus {
        private final StateMachine machine;
        volatile boolean leader = true;
        final AtomicInteger verifications = new AtomicInteger();
        final List<Command> proposed = new ArrayList<>();

        Applying(StateMachine machine) {
            this.machine = machine;
        }

        @Override
        public synchronized CompletionStage<ApplyResult> propose(Command command) {
            if (!leader) {
                return CompletableFuture.failedFuture(new NotLeaderException());
            }
            proposed.add(command);
            long index = machine.lastIndex() + 1;
            try {
                return CompletableFuture.completedFuture(new ApplyResult(index, machine.apply(index, command)));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public ConsensusStatus status() {
            return leader ? new ConsensusStatus("127.0.0.1:8300", List.of("127.0.0.1:8300"), true, 0)
                    : new ConsensusStatus("", List.of("127.0.0.1:8300"), false, 1234);
        }

        @Override
        public CompletionStage<Void> verifyLeader() {
            verifications.incrementAndGet();
            return leader ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(new NotLeaderException());
        }
    }
}
