package io.conclave.http.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.agent.Member;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.kv.KvEndpoint;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** A dev-mode server agent: its own leader at 127.0.0.1:8300, one member, KV in a {@link FakeKv}. */
final class FakeAgent implements Agent {

    final FakeKv kv = new FakeKv();
    final CountDownLatch left = new CountDownLatch(1);
    volatile ConsensusStatus status = new ConsensusStatus("127.0.0.1:8300", List.of("127.0.0.1:8300"), true, 0);

    @Override
    public AgentIdentity identity() {
        return new AgentIdentity("dc1", "node-1", "0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", true, "1.9.0",
                "conclave", "127.0.0.1", "127.0.0.1", 8500, 8600, 8300, 8301, 8302);
    }

    @Override
    public KvEndpoint kv() {
        return kv;
    }

    @Override
    public ConsensusStatus status() {
        return status;
    }

    @Override
    public List<Member> members() {
        return List.of(self());
    }

    @Override
    public Member self() {
        return new Member("node-1", "127.0.0.1", 8301, Map.of("role", "consul", "dc", "dc1"), Member.STATUS_ALIVE,
                1, 5, 2, 2, 5, 4);
    }

    @Override
    public void leave() {
        left.countDown();
    }
}
