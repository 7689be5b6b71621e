package io.conclave.server.internal;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.UserEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A gossip pool whose member list the test sets. */
final class FakeMembership implements Membership {
    final List<Member> members = new CopyOnWriteArrayList<>();

    @Override
    public String pool() {
        return LAN;
    }

    @Override
    public Member local() {
        return members.get(0);
    }

    @Override
    public List<Member> members() {
        return List.copyOf(members);
    }

    @Override
    public CompletionStage<Integer> join(List<String> addresses) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> leave() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean forceLeave(String node, boolean prune) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void fire(UserEvent event) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<KeyringResponse> keyring(KeyringOperation operation, String key) {
        throw new UnsupportedOperationException();
    }
}
