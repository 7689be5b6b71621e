package io.conclave.rpc.internal;

import io.conclave.api.consensus.ApplyResult;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A server's consensus as status only: a three-server group led by another server. */
final class FakeConsensus implements Consensus {

    volatile ConsensusStatus status = new ConsensusStatus("10.0.0.2:8300",
            List.of("10.0.0.1:8300", "10.0.0.2:8300", "10.0.0.3:8300"), true, 12);

    @Override
    public CompletionStage<ApplyResult> propose(Command command) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("the fake applies nothing"));
    }

    @Override
    public ConsensusStatus status() {
        return status;
    }

    @Override
    public CompletionStage<Void> verifyLeader() {
        return CompletableFuture.completedFuture(null);
    }
}
