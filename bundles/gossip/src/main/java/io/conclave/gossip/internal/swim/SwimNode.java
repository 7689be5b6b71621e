package io.conclave.gossip.internal.swim;

import io.conclave.gossip.internal.swim.MembershipEvent.Type;
import io.conclave.gossip.internal.swim.SwimMessage.Ack;
import io.conclave.gossip.internal.swim.SwimMessage.Alive;
import io.conclave.gossip.internal.swim.SwimMessage.Compound;
import io.conclave.gossip.internal.swim.SwimMessage.Dead;
import io.conclave.gossip.internal.swim.SwimMessage.IndirectPing;
import io.conclave.gossip.internal.swim.SwimMessage.Nack;
import io.conclave.gossip.internal.swim.SwimMessage.NodeEntry;
import io.conclave.gossip.internal.swim.SwimMessage.Ping;
import io.conclave.gossip.internal.swim.SwimMessage.PushPull;
import io.conclave.gossip.internal.swim.SwimMessage.Suspect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One member's SWIM + Lifeguard state machine, following memberlist 0.2.2 {@code state.go}.
 *
 * <p>Pure and single-threaded: no sockets, threads or wall clock. A runtime feeds it
 * {@link #tick(long)}, {@link #receive(String, SwimMessage, long)}, {@link #join(List, long)} and
 * {@link #leave(long)}, then drains {@link #drainOutgoing()} and {@link #drainEvents()}, and calls
 * {@link #tick(long)} again no later than {@link #nextDeadlineMillis()}. All randomness comes from
 * the injected generator, so a seeded generator and the same inputs give the same outputs.
 * Members are identified by name; the runtime maps names to addresses.
 */
public final class SwimNode {

    private static final int COMPOUND_OVERHEAD = 2;

    private static final class Member {
        final String name;
        long incarnation;
        MemberState state;
        long stateChangeMillis;
        NodeInfo info;

        Member(String name, long incarnation, MemberState state, long now) {
            this.name = name;
            this.incarnation = incarnation;
            this.state = state;
            this.stateChangeMillis = now;
        }
    }

    /** The probe of one member that is in flight (memberlist's probeNode, unrolled into timers). */
    private static final class Probe {
        final int seqNo;
        final String target;
        final long timeoutAt;
        final long deadline;
        boolean indirectSent;
        int expectedNacks;
        int nacks;

        Probe(int seqNo, String target, long timeoutAt, long deadline) {
            this.seqNo = seqNo;
            this.target = target;
            this.timeoutAt = timeoutAt;
            this.deadline = deadline;
        }
    }

    /** An indirect ping we perform for another member. */
    private record Relay(String requester, int originalSeqNo, boolean nack, long nackAt) {
    }

    private final String name;
    private final SwimConfig config;
    private final RandomGenerator random;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final List<String> probeOrder = new ArrayList<>();
    private final Map<String, Suspicion> suspicions = new HashMap<>();
    private final Map<Integer, Relay> relays = new HashMap<>();
    private final Awareness awareness;
    private final BroadcastQueue broadcasts;
    private final List<Outgoing> outgoing = new ArrayList<>();
    private final List<MembershipEvent> events = new ArrayList<>();
    private int probeIndex;
    private int seqNo;
    private Probe probe;
    private boolean left;
    private long now;
    private long nextProbeAt;
    private long nextGossipAt;
    private long nextPushPullAt;
    private long nextReconnectAt;
    private UserBroadcasts userBroadcasts = UserBroadcasts.NONE;

    public SwimNode(String name, SwimConfig config, RandomGenerator random, long nowMillis) {
        this(name, config, random, nowMillis, null);
    }

    /** @param selfInfo what our alive messages say about us (address, meta, versions); null in simulations */
    public SwimNode(String name, SwimConfig config, RandomGenerator random, long nowMillis, NodeInfo selfInfo) {
        this.name = Objects.requireNonNull(name);
        this.config = Objects.requireNonNull(config);
        this.random = Objects.requireNonNull(random);
        this.now = nowMillis;
        this.awareness = new Awareness(config.awarenessMaxMultiplier());
        this.broadcasts = new BroadcastQueue(config.retransmitMult(), this::numNodes);
        Member self = new Member(name, 1, MemberState.ALIVE, nowMillis);
        self.info = selfInfo;
        members.put(name, self);
        probeOrder.add(name);
        broadcasts.queue(name, new Alive(1, name, selfInfo));
        // memberlist staggers its tickers by a random fraction of the interval.
        nextProbeAt = nowMillis + random.nextLong(config.probeIntervalMillis());
        nextGossipAt = nowMillis + random.nextLong(config.gossipIntervalMillis());
        nextPushPullAt = nowMillis + random.nextLong(config.pushPullIntervalMillis());
        nextReconnectAt = config.reconnectIntervalMillis() > 0
                ? nowMillis + config.reconnectIntervalMillis() + random.nextLong(config.reconnectIntervalMillis())
                : Long.MAX_VALUE;
    }

    public String name() {
        return name;
    }

    /** Where serf's messages come from to fill packets (memberlist's delegate GetBroadcasts). */
    public void userBroadcasts(UserBroadcasts source) {
        this.userBroadcasts = Objects.requireNonNull(source);
    }

    /**
     * memberlist {@code UpdateNode}: new meta (serf tags) or address for this node, spread as an alive
     * message with a higher incarnation.
     */
    public void updateSelf(NodeInfo info, long nowMillis) {
        advance(nowMillis);
        Member self = members.get(name);
        self.info = info;
        self.incarnation++;
        broadcasts.queue(name, new Alive(self.incarnation, name, info));
    }

    // ---- inputs ------------------------------------------------------------------------------

    /** Contacts the seeds with a push-pull join (memberlist {@code Join}). */
    public void join(List<String> seeds, long nowMillis) {
        advance(nowMillis);
        for (String seed : seeds) {
            if (!seed.equals(name)) {
                outgoing.add(new Outgoing(seed, new PushPull(localState(), true, false), true));
            }
        }
    }

    /**
     * Broadcasts our own death with From == us, which everyone records as "left". Like memberlist
     * the node keeps answering and gossiping (it stops probing) until the runtime shuts it down,
     * which it should do once the leave has been gossiped for a few gossip intervals.
     */
    public void leave(long nowMillis) {
        advance(nowMillis);
        if (left) {
            return;
        }
        left = true;
        probe = null;
        Member self = members.get(name);
        deadNode(new Dead(self.incarnation, name, name));
    }

    public void tick(long nowMillis) {
        advance(nowMillis);
        for (Iterator<Map.Entry<Integer, Relay>> it = relays.entrySet().iterator(); it.hasNext(); ) {
            Relay r = it.next().getValue();
            if (r.nackAt() <= now) {
                it.remove();
                if (r.nack()) {
                    sendPacket(r.requester(), new Nack(r.originalSeqNo()));
                }
            }
        }
        if (probe != null && !probe.indirectSent && now >= probe.timeoutAt) {
            sendIndirectProbes(probe);
        }
        if (probe != null && now >= probe.deadline) {
            probeFailed(probe);
        }
        List<String> expired = new ArrayList<>();
        suspicions.forEach((node, s) -> {
            if (s.deadlineMillis() <= now) {
                expired.add(node);
            }
        });
        Collections.sort(expired);
        for (String node : expired) {
            Suspicion s = suspicions.remove(node);
            Member m = members.get(node);
            if (m != null && m.state == MemberState.SUSPECT && m.stateChangeMillis == s.startMillis()) {
                deadNode(new Dead(m.incarnation, node, name));
            }
        }
        if (now >= nextProbeAt) {
            if (!left) {
                probeNext();
            }
            nextProbeAt = now + awareness.scale(config.probeIntervalMillis());
        }
        if (now >= nextGossipAt) {
            gossip();
            nextGossipAt = now + config.gossipIntervalMillis();
        }
        if (now >= nextPushPullAt) {
            if (!left) {
                pushPull();
            }
            nextPushPullAt = now + config.pushPullIntervalFor(numNodes());
        }
        if (now >= nextReconnectAt) {
            if (!left) {
                reconnect();
            }
            nextReconnectAt = now + config.reconnectIntervalMillis();
        }
    }

    public void receive(String from, SwimMessage message, long nowMillis) {
        advance(nowMillis);
        handle(from, message, false);
    }

    /** Like {@link #receive} for a message that came over the stream (reliable) transport. */
    public void receiveReliable(String from, SwimMessage message, long nowMillis) {
        advance(nowMillis);
        handle(from, message, true);
    }

    // ---- outputs -----------------------------------------------------------------------------

    public List<Outgoing> drainOutgoing() {
        List<Outgoing> out = List.copyOf(outgoing);
        outgoing.clear();
        return out;
    }

    public List<MembershipEvent> drainEvents() {
        List<MembershipEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    /** The latest time by which {@link #tick(long)} must be called. */
    public long nextDeadlineMillis() {
        long d = Math.min(Math.min(nextProbeAt, nextGossipAt), Math.min(nextPushPullAt, nextReconnectAt));
        if (probe != null) {
            d = Math.min(d, probe.indirectSent ? probe.deadline : probe.timeoutAt);
        }
        for (Relay r : relays.values()) {
            d = Math.min(d, r.nackAt());
        }
        for (Suspicion s : suspicions.values()) {
            d = Math.min(d, s.deadlineMillis());
        }
        return d;
    }

    public MemberState stateOf(String node) {
        Member m = members.get(node);
        return m == null ? null : m.state;
    }

    public long incarnationOf(String node) {
        Member m = members.get(node);
        return m == null ? -1 : m.incarnation;
    }

    public int count(MemberState state) {
        int c = 0;
        for (Member m : members.values()) {
            if (m.state == state) {
                c++;
            }
        }
        return c;
    }

    /** The address, meta and versions last heard for a member (null if unknown). */
    public NodeInfo infoOf(String node) {
        Member m = members.get(node);
        return m == null ? null : m.info;
    }

    /** True while an update about {@code node} is still queued for retransmission (memberlist's notify). */
    public boolean broadcastPending(String node) {
        return broadcasts.contains(node);
    }

    /** True while the probe with this sequence number still waits for its ack. */
    public boolean awaitingAck(int seqNo) {
        return probe != null && probe.seqNo == seqNo;
    }

    /** memberlist {@code NumMembers}: members not dead or left, this node included. */
    public int numLive() {
        return count(MemberState.ALIVE) + count(MemberState.SUSPECT);
    }

    public int awarenessScore() {
        return awareness.score();
    }

    public boolean hasLeft() {
        return left;
    }

    // ---- probing -----------------------------------------------------------------------------

    private void probeNext() {
        int numCheck = 0;
        while (numCheck <= probeOrder.size()) {
            if (probeIndex >= probeOrder.size()) {
                resetProbeOrder();
                probeIndex = 0;
                numCheck++;
                continue;
            }
            Member m = members.get(probeOrder.get(probeIndex++));
            if (m == null || m.name.equals(name) || m.state.deadOrLeft()) {
                numCheck++;
                continue;
            }
            startProbe(m);
            return;
        }
    }

    /** memberlist resetNodes: forget the long dead from the round and reshuffle. */
    private void resetProbeOrder() {
        probeOrder.removeIf(n -> {
            Member m = members.get(n);
            return m == null || reaped(m);
        });
        for (int i = probeOrder.size() - 1; i > 0; i--) {
            Collections.swap(probeOrder, i, random.nextInt(i + 1));
        }
    }

    private void startProbe(Member target) {
        Probe p = new Probe(++seqNo, target.name, now + config.probeTimeoutMillis(),
                now + awareness.scale(config.probeIntervalMillis()));
        probe = p;
        Ping ping = new Ping(p.seqNo, target.name, name);
        if (target.state == MemberState.ALIVE) {
            sendPacket(target.name, ping);
        } else {
            sendPacket(target.name, new Compound(List.of(ping, new Suspect(target.incarnation, target.name, name))));
        }
    }

    private void sendIndirectProbes(Probe p) {
        p.indirectSent = true;
        List<String> peers = randomMembers(config.indirectChecks(),
                m -> m.name.equals(name) || m.name.equals(p.target) || m.state != MemberState.ALIVE);
        for (String peer : peers) {
            p.expectedNacks++;
            sendPacket(peer, new IndirectPing(p.seqNo, p.target, true, name));
        }
        if (config.tcpPings()) {
            outgoing.add(new Outgoing(p.target, new Ping(p.seqNo, p.target, name), true));
        }
    }

    private void probeFailed(Probe p) {
        probe = null;
        int delta = p.expectedNacks > 0 ? Math.max(0, p.expectedNacks - p.nacks) : 1;
        awareness.applyDelta(delta);
        Member m = members.get(p.target);
        if (m != null) {
            suspectNode(new Suspect(m.incarnation, m.name, name));
        }
    }

    // ---- gossip and anti-entropy -------------------------------------------------------------

    private void gossip() {
        List<String> targets = randomMembers(config.gossipNodes(), m -> {
            if (m.name.equals(name)) {
                return true;
            }
            return switch (m.state) {
                case ALIVE, SUSPECT -> false;
                case DEAD -> now - m.stateChangeMillis > config.gossipToTheDeadMillis();
                case LEFT -> true;
            };
        });
        for (String target : targets) {
            List<SwimMessage> msgs = takeBroadcasts(config.packetBudgetBytes());
            if (msgs.isEmpty()) {
                return;
            }
            outgoing.add(new Outgoing(target, msgs.size() == 1 ? msgs.get(0) : new Compound(msgs), false));
        }
    }

    private void pushPull() {
        List<String> peer = randomMembers(1, m -> m.name.equals(name) || m.state != MemberState.ALIVE);
        if (!peer.isEmpty()) {
            outgoing.add(new Outgoing(peer.get(0), new PushPull(localState(), false, false), true));
        }
    }

    /** serf's reconnect loop: a push-pull to one random failed member, so healed partitions merge. */
    private void reconnect() {
        List<String> peer = randomMembers(1, m -> m.name.equals(name) || m.state != MemberState.DEAD);
        if (!peer.isEmpty()) {
            outgoing.add(new Outgoing(peer.get(0), new PushPull(localState(), false, false), true));
        }
    }

    /** Every member as push-pull sends it (memberlist's local state), this node included. */
    public List<NodeEntry> localState() {
        List<NodeEntry> entries = new ArrayList<>(members.size());
        for (Member m : members.values()) {
            entries.add(new NodeEntry(m.name, m.incarnation, m.state, m.info));
        }
        return entries;
    }

    private void mergeState(List<NodeEntry> remote) {
        for (NodeEntry e : remote) {
            switch (e.state()) {
                case ALIVE -> aliveNode(new Alive(e.incarnation(), e.name(), e.info()));
                case LEFT -> deadNode(new Dead(e.incarnation(), e.name(), e.name()));
                case DEAD, SUSPECT -> suspectNode(new Suspect(e.incarnation(), e.name(), name));
            }
        }
    }

    // ---- message handling --------------------------------------------------------------------

    private void handle(String from, SwimMessage message, boolean reliable) {
        if (message instanceof Compound c) {
            for (SwimMessage part : c.parts()) {
                handle(from, part, reliable);
            }
        } else if (message instanceof Ping p) {
            if (p.node().equals(name)) {
                if (reliable) {
                    outgoing.add(new Outgoing(p.sourceNode(), new Ack(p.seqNo()), true));
                } else {
                    sendPacket(p.sourceNode(), new Ack(p.seqNo()));
                }
            }
        } else if (message instanceof IndirectPing ip) {
            int relaySeq = ++seqNo;
            relays.put(relaySeq, new Relay(ip.sourceNode(), ip.seqNo(), ip.nack(), now + config.probeTimeoutMillis()));
            sendPacket(ip.target(), new Ping(relaySeq, ip.target(), name));
        } else if (message instanceof Ack a) {
            Relay r = relays.remove(a.seqNo());
            if (r != null) {
                sendPacket(r.requester(), new Ack(r.originalSeqNo()));
            } else if (probe != null && probe.seqNo == a.seqNo()) {
                probe = null;
                awareness.applyDelta(-1);
            }
        } else if (message instanceof Nack n) {
            if (probe != null && probe.seqNo == n.seqNo()) {
                probe.nacks++;
            }
        } else if (message instanceof Suspect s) {
            suspectNode(s);
        } else if (message instanceof Alive a) {
            aliveNode(a);
        } else if (message instanceof Dead d) {
            deadNode(d);
        } else if (message instanceof PushPull pp) {
            if (left) {
                return;
            }
            if (!pp.reply()) {
                outgoing.add(new Outgoing(from, new PushPull(localState(), false, true), true));
            }
            mergeState(pp.nodes());
        }
    }

    private void aliveNode(Alive a) {
        boolean isLocal = a.node().equals(name);
        if (left && isLocal) {
            return;
        }
        Member m = members.get(a.node());
        MemberState oldState;
        if (m == null) {
            m = new Member(a.node(), a.incarnation(), MemberState.DEAD, now);
            members.put(a.node(), m);
            // memberlist inserts new nodes at a random offset of the probe list.
            int offset = random.nextInt(probeOrder.size() + 1);
            probeOrder.add(a.node());
            Collections.swap(probeOrder, offset, probeOrder.size() - 1);
            oldState = null;
        } else {
            if (a.incarnation() <= m.incarnation && !isLocal) {
                return;
            }
            if (a.incarnation() < m.incarnation && isLocal) {
                return;
            }
            oldState = m.state;
        }
        suspicions.remove(a.node());
        if (isLocal) {
            if (a.incarnation() == m.incarnation) {
                return;
            }
            refute(m, a.incarnation());
            return;
        }
        broadcasts.queue(a.node(), a);
        m.incarnation = a.incarnation();
        NodeInfo oldInfo = m.info;
        if (a.info() != null) {
            m.info = a.info();
        }
        if (m.state != MemberState.ALIVE) {
            m.state = MemberState.ALIVE;
            m.stateChangeMillis = now;
        }
        if (oldState == null || oldState.deadOrLeft()) {
            if (!probeOrder.contains(a.node())) {
                probeOrder.add(a.node());
            }
            events.add(new MembershipEvent(Type.JOINED, a.node(), a.incarnation(), now));
        } else {
            if (oldState == MemberState.SUSPECT) {
                events.add(new MembershipEvent(Type.ALIVE_AGAIN, a.node(), a.incarnation(), now));
            }
            if (oldInfo != null && !oldInfo.equals(m.info)) {
                events.add(new MembershipEvent(Type.UPDATED, a.node(), a.incarnation(), now));
            }
        }
    }

    private void suspectNode(Suspect s) {
        Member m = members.get(s.node());
        if (m == null || s.incarnation() < m.incarnation) {
            return;
        }
        Suspicion existing = suspicions.get(s.node());
        if (existing != null) {
            if (existing.confirm(s.from())) {
                broadcasts.queue(s.node(), s);
            }
            return;
        }
        if (m.state != MemberState.ALIVE) {
            return;
        }
        if (m.name.equals(name)) {
            refute(m, s.incarnation());
            return;
        }
        broadcasts.queue(s.node(), s);
        m.incarnation = s.incarnation();
        m.state = MemberState.SUSPECT;
        m.stateChangeMillis = now;
        int n = numNodes();
        int k = config.suspicionMult() - 2;
        if (n - 2 < k) {
            k = 0;
        }
        long min = config.suspicionMinMillis(n);
        long max = config.suspicionMaxTimeoutMult() * min;
        suspicions.put(s.node(), new Suspicion(s.from(), k, min, max, now));
        events.add(new MembershipEvent(Type.SUSPECTED, s.node(), s.incarnation(), now));
    }

    private void deadNode(Dead d) {
        Member m = members.get(d.node());
        if (m == null || d.incarnation() < m.incarnation) {
            return;
        }
        suspicions.remove(d.node());
        if (m.state.deadOrLeft()) {
            return;
        }
        if (m.name.equals(name) && !left) {
            refute(m, d.incarnation());
            return;
        }
        broadcasts.queue(d.node(), d);
        m.incarnation = d.incarnation();
        m.state = d.node().equals(d.from()) ? MemberState.LEFT : MemberState.DEAD;
        m.stateChangeMillis = now;
        events.add(new MembershipEvent(m.state == MemberState.LEFT ? Type.LEFT : Type.FAILED,
                d.node(), d.incarnation(), now));
    }

    /** Someone thinks we are suspect or dead: outbid their incarnation and say we are alive. */
    private void refute(Member self, long accusedIncarnation) {
        long inc = self.incarnation + 1;
        if (accusedIncarnation >= inc) {
            inc = accusedIncarnation + 1;
        }
        self.incarnation = inc;
        awareness.applyDelta(1);
        broadcasts.queue(name, new Alive(inc, name, self.info));
        events.add(new MembershipEvent(Type.REFUTED, name, inc, now));
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Sends a packet with as many queued broadcasts piggy-backed as fit (memberlist sendMsg). */
    private void sendPacket(String to, SwimMessage message) {
        int budget = config.packetBudgetBytes() - message.estimatedSize() - COMPOUND_OVERHEAD;
        List<SwimMessage> extra = takeBroadcasts(budget);
        if (extra.isEmpty()) {
            outgoing.add(new Outgoing(to, message, false));
        } else {
            List<SwimMessage> parts = new ArrayList<>(extra.size() + 1);
            parts.add(message);
            parts.addAll(extra);
            outgoing.add(new Outgoing(to, new Compound(parts), false));
        }
    }

    /** memberlist getBroadcasts: our own updates first, then the delegate's in the room left. */
    private List<SwimMessage> takeBroadcasts(int budget) {
        List<SwimMessage> msgs = broadcasts.take(COMPOUND_OVERHEAD, budget);
        int used = 0;
        for (SwimMessage m : msgs) {
            used += m.estimatedSize() + COMPOUND_OVERHEAD;
        }
        List<SwimMessage.User> user = userBroadcasts.take(COMPOUND_OVERHEAD, budget - used);
        if (user.isEmpty()) {
            return msgs;
        }
        List<SwimMessage> all = new ArrayList<>(msgs);
        all.addAll(user);
        return all;
    }

    private boolean reaped(Member m) {
        return m.state.deadOrLeft() && now - m.stateChangeMillis > config.gossipToTheDeadMillis();
    }

    /** memberlist estNumNodes: every member still in the node map (long-dead ones are reaped). */
    int numNodes() {
        int c = 0;
        for (Member m : members.values()) {
            if (!reaped(m)) {
                c++;
            }
        }
        return c;
    }

    private List<String> randomMembers(int k, java.util.function.Predicate<Member> exclude) {
        List<String> candidates = new ArrayList<>();
        for (Member m : members.values()) {
            if (!exclude.test(m)) {
                candidates.add(m.name);
            }
        }
        if (candidates.size() <= k) {
            return candidates;
        }
        for (int i = 0; i < k; i++) {
            Collections.swap(candidates, i, i + random.nextInt(candidates.size() - i));
        }
        return new ArrayList<>(candidates.subList(0, k));
    }

    private void advance(long nowMillis) {
        if (nowMillis > now) {
            now = nowMillis;
        }
    }
}
