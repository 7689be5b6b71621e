package io.conclave.agent.internal;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.UserEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One pool's member list in memory, recording what the agent asks of it; joins reach the addresses in {@link #reachable}. */
class FakeMembership implements Membership {

    final String pool;
    final Member local;
    final Map<String, Member> members = new LinkedHashMap<>();
    final List<String> reachable = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    final List<UserEvent> fired = new ArrayList<>();
    /** What {@link #leave()} returns; a never-completing one models a pool that cannot spread its intent. */
    volatile CompletableFuture<Void> leaveResult = CompletableFuture.completedFuture(null);

    FakeMembership(String pool, String name, int port) {
        this.pool = pool;
        this.local = member(name, port, Member.STATUS_ALIVE);
        members.put(name, local);
    }

    static Member member(String name, int port, int status) {
        return new Member(name, "127.0.0.1", port, Map.of("role", "node", "dc", "dc1"), status, 1, 5, 2, 2, 5, 4);
    }

    @Override
    public String pool() {
        return pool;
    }

    @Override
    public Member local() {
        return local;
    }

    @Override
    public synchronized List<Member> members() {
        return List.copyOf(members.values());
    }

    @Override
    public synchronized CompletionStage<Integer> join(List<String> addresses) {
        calls.add("join " + addresses);
        int contacted = 0;
        StringBuilder errors = new StringBuilder();
        for (String a : addresses) {
            if (reachable.contains(a)) {
                contacted++;
            } else {
                errors.append("Failed to join ").append(a).append(": connection refused; ");
            }
        }
        return contacted > 0 ? CompletableFuture.completedFuture(contacted)
                : CompletableFuture.failedFuture(new IOException(errors.toString().strip()));
    }

    @Override
    public synchronized CompletionStage<Void> leave() {
        calls.add("leave");
        return leaveResult;
    }

    @Override
    public synchronized boolean forceLeave(String node, boolean prune) {
        calls.add("forceLeave " + node + " " + prune);
        Member m = members.get(node);
        if (m == null) {
            return false;
        }
        if (prune) {
            members.remove(node);
        } else {
            members.put(node, member(node, m.port(), 3));
        }
        return true;
    }

    @Override
    public synchronized void fire(UserEvent event) {
        calls.add("fire " + event.name());
        fired.add(event);
    }

    @Override
    public synchronized CompletionStage<KeyringResponse> keyring(KeyringOperation operation, String key) {
        calls.add("keyring " + operation + " " + key);
        return CompletableFuture.completedFuture(new KeyringResponse(pool.equals(WAN), "dc1",
                operation == KeyringOperation.LIST ? Map.of("k1", members.size()) : Map.of(), members.size(), 0,
                Map.of()));
    }
}
