package io.conclave.rpc.internal;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.UserEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A LAN pool whose member list the test sets; the RPC client only reads members. */
final class FakeMembership implements Membership {

    final List<Member> members = new CopyOnWriteArrayList<>();

    static Member server(String name, String addr, int port, String dc, int status) {
        return new Member(name, addr, 8301, Map.of("role", "consul", "dc", dc, "port", Integer.toString(port),
                "id", "id-" + name, "vsn", "2"), status, 1, 5, 2, 2, 5, 4);
    }

    static Member client(String name, String addr, String dc) {
        return new Member(name, addr, 8301, Map.of("role", "node", "dc", dc, "id", "id-" + name, "vsn", "2"),
                Member.STATUS_ALIVE, 1, 5, 2, 2, 5, 4);
    }

    @Override
    public String pool() {
        return LAN;
    }

    @Override
    public Member local() {
        return client("me", "127.0.0.1", "dc1");
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
