package io.conclave.api.consensus;

import java.util.List;

/**
 * A snapshot of what this server knows about the consensus group.
 *
 * @param leader            the leader's RPC address ({@code ip:port}), or empty when none is known
 * @param peers             the voters' RPC addresses
 * @param isLeader          whether this server is the leader
 * @param lastContactMillis milliseconds since the leader was last heard from (0 on the leader)
 */
public record ConsensusStatus(String leader, List<String> peers, boolean isLeader, long lastContactMillis) {
    public ConsensusStatus {
        peers = List.copyOf(peers);
    }

    public boolean knownLeader() {
        return !leader.isEmpty();
    }
}
