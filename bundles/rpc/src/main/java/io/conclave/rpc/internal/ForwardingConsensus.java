package io.conclave.rpc.internal;

import io.conclave.api.consensus.ApplyResult;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.consensus.ConsensusStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A client agent's {@link Consensus}: only the status means anything here, and it is the servers' (asked over
 * RPC; this agent is never the leader). Writes go through the forwarding endpoints, never through here.
 */
final class ForwardingConsensus implements Consensus {

    static final String NO_PROPOSALS = "client agents do not propose commands";

    private final RpcClient client;

    ForwardingConsensus(RpcClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<ApplyResult> propose(Command command) {
        return CompletableFuture.failedFuture(new IllegalStateException(NO_PROPOSALS));
    }

    @Override
    public ConsensusStatus status() {
        ConsensusStatus s = client.callAndWait(Methods.STATUS_CONSENSUS, Methods.Empty.INSTANCE);
        return new ConsensusStatus(s.leader(), s.peers(), false, s.lastContactMillis());
    }

    @Override
    public CompletionStage<Void> verifyLeader() {
        return CompletableFuture.failedFuture(new IllegalStateException(NO_PROPOSALS));
    }
}
