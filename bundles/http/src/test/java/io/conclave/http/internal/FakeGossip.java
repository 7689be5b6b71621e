package io.conclave.http.internal;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.UserEvent;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The gossip half of {@link FakeAgent}, a dev server's: LAN and WAN member lists, joins that reach the addresses in
 * {@link #reachable}, fired events kept as the agent keeps received ones, and {@code events} blocking as the
 * {@code Agent} contract says (while the newest event's index equals the one asked for). Guarded by its monitor.
 */
final class FakeGossip {

    final Map<String, Member> lan = new LinkedHashMap<>();
    final Map<String, Member> wan = new LinkedHashMap<>();
    final List<String> reachable = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    final List<UserEvent> events = new ArrayList<>();
    /** What the next keyring calls answer, WAN first; a failure when {@link #keyringFailure} is set. */
    volatile List<KeyringResponse> keyring = List.of();
    volatile RuntimeException keyringFailure;
    private long ltime;

    private record Waiter(String name, long minIndex, CompletableFuture<QueryResult<List<UserEvent>>> done) {
    }

    private final List<Waiter> parked = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-events-timer");
        t.setDaemon(true);
        return t;
    });

    FakeGossip(Member self) {
        lan.put(self.name(), self);
        Member wanSelf = new Member(self.name() + ".dc1", self.addr(), 8302, self.tags(), self.status(),
                self.protocolMin(), self.protocolMax(), self.protocolCur(), self.delegateMin(), self.delegateMax(),
                self.delegateCur());
        wan.put(wanSelf.name(), wanSelf);
    }

    synchronized List<Member> members(boolean wanPool) {
        return List.copyOf((wanPool ? wan : lan).values());
    }

    synchronized CompletionStage<Integer> join(List<String> addresses, boolean wanPool) {
        calls.add((wanPool ? "join-wan " : "join ") + addresses);
        int n = 0;
        for (String a : addresses) {
            if (reachable.contains(a)) {
                n++;
            }
        }
        return n > 0 ? CompletableFuture.completedFuture(n) : CompletableFuture.failedFuture(new IOException(
                "1 error occurred:\n\t* Failed to join " + addresses.get(0) + ": dial tcp: connection refused\n\n"));
    }

    synchronized boolean forceLeave(String node, boolean prune, boolean wanPool) {
        calls.add("force-leave " + node + (prune ? " prune" : "") + (wanPool ? " wan" : ""));
        Map<String, Member> pool = wanPool ? wan : lan;
        Member m = pool.get(node);
        if (m == null) {
            return false;
        }
        if (prune) {
            pool.remove(node);
        } else {
            pool.put(node, new Member(m.name(), m.addr(), m.port(), m.tags(), 3, 1, 5, 2, 2, 5, 4));
        }
        return true;
    }

    UserEvent fire(String name, byte[] payload, String node, String service, String tag) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("User event missing name");
        }
        if (!tag.isEmpty() && service.isEmpty()) {
            throw new IllegalArgumentException("Cannot provide tag filter without service filter");
        }
        for (String filter : List.of(node, service, tag)) {
            try {
                Pattern.compile(filter);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("Invalid node filter: " + e.getDescription());
            }
        }
        if (payload != null && payload.length > 512) {
            throw new IllegalArgumentException("user event exceeds configured limit of 512 bytes before encoding");
        }
        UserEvent sent = new UserEvent(UUID.randomUUID().toString(), name, payload, node, service, tag, 1, 0);
        synchronized (this) {
            // Serf delivers an event to its sender too: it is listed with its Lamport time.
            receive(new UserEvent(sent.id(), name, payload, node, service, tag, 1, ++ltime));
        }
        return sent;
    }

    /** An event arriving from the pool. */
    synchronized void receive(UserEvent e) {
        events.add(e);
        for (Iterator<Waiter> it = parked.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            QueryResult<List<UserEvent>> now = list(w.name);
            if (now.meta().index() != w.minIndex) {
                it.remove();
                w.done.complete(now);
            }
        }
    }

    synchronized CompletionStage<QueryResult<List<UserEvent>>> events(String name, QueryOptions options) {
        QueryResult<List<UserEvent>> now = list(name);
        if (options.minIndex() == 0 || now.meta().index() != options.minIndex()) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter w = new Waiter(name, options.minIndex(), new CompletableFuture<>());
        parked.add(w);
        timer.schedule(() -> {
            synchronized (FakeGossip.this) {
                if (parked.remove(w)) {
                    w.done.complete(list(w.name));
                }
            }
        }, options.maxWait().toNanos(), TimeUnit.NANOSECONDS);
        w.done.whenComplete((r, e) -> {
            if (w.done.isCancelled()) {
                synchronized (FakeGossip.this) {
                    parked.remove(w);
                }
            }
        });
        return w.done;
    }

    synchronized int parked() {
        return parked.size();
    }

    private QueryResult<List<UserEvent>> list(String name) {
        List<UserEvent> out = events.stream().filter(e -> name.isEmpty() || e.name().equals(name)).toList();
        long index = out.isEmpty() ? 1 : EventResource.index(out, 1) & Long.MAX_VALUE;
        return new QueryResult<>(out, new QueryMeta(index, true, 0));
    }

    CompletionStage<List<KeyringResponse>> keyring(KeyringOperation operation, String key) {
        synchronized (this) {
            calls.add("keyring " + operation + (key == null ? "" : " " + key));
        }
        RuntimeException failure = keyringFailure;
        return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(keyring);
    }

    void close() {
        timer.shutdownNow();
    }
}
