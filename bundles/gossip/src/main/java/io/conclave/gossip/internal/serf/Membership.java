package io.conclave.gossip.internal.serf;

import io.conclave.gossip.internal.swim.MembershipEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * serf's member status machine ({@code serf.go} 0.9.4: {@code handleNodeJoin}, {@code handleNodeLeave},
 * {@code handleNodeUpdate}, {@code handleNodeJoinIntent}, {@code handleNodeLeaveIntent}, {@code reap},
 * {@code reconnect}). It exists because memberlist's alive/dead cannot tell a graceful leave from a
 * crash; serf layers Lamport-ordered join/leave intents on top:
 * <ul>
 * <li>memberlist join → {@link MemberStatus#ALIVE} (a buffered leave intent makes a new member
 *     {@link MemberStatus#LEAVING} at once); suspect is still alive in serf.</li>
 * <li>leave intent newer than the member's statusLTime: alive → leaving, failed → left (a forced
 *     leave, {@code consul force-leave}); a join intent: leaving → alive.</li>
 * <li>memberlist dead/left (both reach serf as {@code NotifyLeave}): leaving → left, alive → failed.
 *     Serf decides by its own status, not by memberlist's dead-vs-left.</li>
 * <li>reaper: failed members erased after {@code reconnectTimeout}, left ones after
 *     {@code tombstoneTimeout}, measured from when they went down; a failed member that comes back
 *     through memberlist is alive again and leaves the failed list.</li>
 * </ul>
 * Pure and single-threaded: time is passed in; events are drained by the runtime.
 */
public final class Membership {

    /** What became of a received intent; {@link #rebroadcast()} is serf's handler return value. */
    public enum IntentResult {
        /** Older than (or equal to) what is known; dropped. */
        STALE,
        /** For a member memberlist has not reported yet; kept in the intent buffer. */
        BUFFERED,
        /** Applied to a known member. */
        APPLIED,
        /** A leave intent about this node while it is alive: drop it and broadcast a fresh join. */
        REFUTE;

        public boolean rebroadcast() {
            return this == BUFFERED || this == APPLIED;
        }
    }

    private static final class State {
        final String name;
        Map<String, String> tags;
        MemberStatus status;
        long statusLTime;
        long leaveTime = -1;

        State(String name, Map<String, String> tags, MemberStatus status) {
            this.name = name;
            this.tags = Map.copyOf(tags);
            this.status = status;
        }

        SerfMember snapshot() {
            return new SerfMember(name, tags, status, statusLTime, leaveTime);
        }
    }

    private final String self;
    private final SerfConfig config;
    private final LamportClock clock = new LamportClock();
    private final IntentBuffer intents = new IntentBuffer();
    private final Map<String, State> members = new LinkedHashMap<>();
    private final List<State> failed = new ArrayList<>();
    private final List<State> left = new ArrayList<>();
    private final List<MemberEvent> events = new ArrayList<>();
    private boolean selfAlive = true;

    public Membership(String self, SerfConfig config) {
        this.self = self;
        this.config = config;
    }

    /** The membership Lamport clock (serf's {@code clock}); the push-pull state carries its time. */
    public LamportClock clock() {
        return clock;
    }

    // ---- intents originated here (serf Create / Leave) ----

    /** serf {@code Create}: increments the clock and returns the LTime of this node's join intent. */
    public long joinIntentForSelf(long nowMillis) {
        selfAlive = true;
        long t = clock.increment();
        joinIntent(self, t, nowMillis);
        return t;
    }

    /** serf {@code Leave}: the leave intent carries the current time; the clock then moves on. */
    public long leaveIntentForSelf(long nowMillis) {
        selfAlive = false;
        long t = clock.time();
        clock.increment();
        leaveIntent(self, t, false, nowMillis);
        return t;
    }

    // ---- memberlist notifications ----

    /** Routes one SWIM event: join → {@link #memberlistJoin}, failed/left → {@link #memberlistLeave}. */
    public void apply(MembershipEvent event, Map<String, String> tags) {
        switch (event.type()) {
            case JOINED -> memberlistJoin(event.node(), tags, event.atMillis());
            case FAILED, LEFT -> memberlistLeave(event.node(), event.atMillis());
            case UPDATED -> memberlistUpdate(event.node(), tags, event.atMillis());
            default -> {
                // suspected / alive-again / refuted: serf's status stays alive.
            }
        }
    }

    /** serf {@code handleNodeJoin} (memberlist {@code NotifyJoin}). */
    public void memberlistJoin(String node, Map<String, String> tags, long nowMillis) {
        State m = members.get(node);
        MemberStatus old;
        if (m == null) {
            old = MemberStatus.NONE;
            m = new State(node, tags, MemberStatus.ALIVE);
            OptionalLong join = intents.recent(node, IntentBuffer.Kind.JOIN);
            if (join.isPresent()) {
                m.statusLTime = join.getAsLong();
            }
            OptionalLong leave = intents.recent(node, IntentBuffer.Kind.LEAVE);
            if (leave.isPresent()) {
                m.status = MemberStatus.LEAVING;
                m.statusLTime = leave.getAsLong();
            }
            members.put(node, m);
        } else {
            old = m.status;
            m.status = MemberStatus.ALIVE;
            m.leaveTime = -1;
            m.tags = Map.copyOf(tags);
        }
        if (old == MemberStatus.FAILED || old == MemberStatus.LEFT) {
            failed.remove(m);
            left.remove(m);
        }
        emit(MemberEvent.Type.JOIN, m, nowMillis);
    }

    /** serf {@code handleNodeLeave} (memberlist {@code NotifyLeave}, for dead and left alike). */
    public void memberlistLeave(String node, long nowMillis) {
        State m = members.get(node);
        if (m == null) {
            return;
        }
        switch (m.status) {
            case LEAVING -> {
                m.status = MemberStatus.LEFT;
                m.leaveTime = nowMillis;
                left.add(m);
                emit(MemberEvent.Type.LEAVE, m, nowMillis);
            }
            case ALIVE -> {
                m.status = MemberStatus.FAILED;
                m.leaveTime = nowMillis;
                failed.add(m);
                emit(MemberEvent.Type.FAILED, m, nowMillis);
            }
            default -> {
                // serf logs "Bad state when leave" and does nothing.
            }
        }
    }

    /** serf {@code handleNodeUpdate} (memberlist {@code NotifyUpdate}: new Meta). */
    public void memberlistUpdate(String node, Map<String, String> tags, long nowMillis) {
        State m = members.get(node);
        if (m == null) {
            return;
        }
        m.tags = Map.copyOf(tags);
        emit(MemberEvent.Type.UPDATE, m, nowMillis);
    }

    // ---- intents received ----

    /** serf {@code handleNodeJoinIntent}. Returns true to rebroadcast. */
    public boolean joinIntent(String node, long ltime, long nowMillis) {
        clock.witness(ltime);
        State m = members.get(node);
        if (m == null) {
            return intents.upsert(node, IntentBuffer.Kind.JOIN, ltime, nowMillis);
        }
        if (Long.compareUnsigned(ltime, m.statusLTime) <= 0) {
            return false;
        }
        m.statusLTime = ltime;
        if (m.status == MemberStatus.LEAVING) {
            m.status = MemberStatus.ALIVE;
        }
        return true;
    }

    /** serf {@code handleNodeLeaveIntent}. */
    public IntentResult leaveIntent(String node, long ltime, boolean prune, long nowMillis) {
        clock.witness(ltime);
        State m = members.get(node);
        if (m == null) {
            return intents.upsert(node, IntentBuffer.Kind.LEAVE, ltime, nowMillis)
                    ? IntentResult.BUFFERED : IntentResult.STALE;
        }
        if (Long.compareUnsigned(ltime, m.statusLTime) <= 0) {
            return IntentResult.STALE;
        }
        if (node.equals(self) && selfAlive) {
            return IntentResult.REFUTE;
        }
        // Updated even when the status does not change, so a second leave for a leaving/left
        // member is stale (consul#8179, #7960: endless rebroadcast otherwise).
        m.statusLTime = ltime;
        switch (m.status) {
            case ALIVE -> m.status = MemberStatus.LEAVING;
            case FAILED -> {
                m.status = MemberStatus.LEFT;
                failed.remove(m);
                left.add(m);
                emit(MemberEvent.Type.LEAVE, m, nowMillis);
            }
            case LEAVING, LEFT -> {
            }
            default -> {
                return IntentResult.STALE;
            }
        }
        if (prune) {
            // serf sleeps BroadcastTimeout + LeavePropagateDelay first when leaving; that wait is the runtime's.
            left.remove(m);
            erase(m, nowMillis);
        }
        return IntentResult.APPLIED;
    }

    // ---- reaper and reconnect ----

    /** serf {@code handleReap}, run every {@code reapInterval}: erases expired failed/left members and intents. */
    public void reap(long nowMillis) {
        reapList(failed, nowMillis, config.reconnectTimeoutMillis());
        reapList(left, nowMillis, config.tombstoneTimeoutMillis());
        intents.reap(nowMillis, config.recentIntentTimeoutMillis());
    }

    private void reapList(List<State> list, long nowMillis, long timeout) {
        for (State m : List.copyOf(list)) {
            if (nowMillis - m.leaveTime > timeout) {
                list.remove(m);
                erase(m, nowMillis);
            }
        }
    }

    private void erase(State m, long nowMillis) {
        members.remove(m.name);
        emit(MemberEvent.Type.REAP, m, nowMillis);
    }

    /**
     * serf {@code reconnect}, run every {@code ReconnectInterval}: with probability
     * failed / (members − failed − left) picks one failed member to join at the memberlist level, so
     * the cluster as a whole tries each failed member about once per interval.
     */
    public Optional<String> reconnectCandidate(RandomGenerator random) {
        int n = failed.size();
        if (n == 0) {
            return Optional.empty();
        }
        float numAlive = members.size() - failed.size() - left.size();
        if (numAlive == 0) {
            numAlive = 1;
        }
        float prob = n / numAlive;
        if (random.nextFloat() > prob) {
            return Optional.empty();
        }
        return Optional.of(failed.get(random.nextInt(n)).name);
    }

    // ---- views ----

    public Optional<SerfMember> member(String node) {
        State m = members.get(node);
        return m == null ? Optional.empty() : Optional.of(m.snapshot());
    }

    public List<SerfMember> members() {
        return snapshots(members.values());
    }

    /** The members the reconnect loop retries (serf {@code failedMembers}). */
    public List<SerfMember> failedMembers() {
        return snapshots(failed);
    }

    /** serf {@code leftMembers}; the push-pull state's {@code LeftMembers}. */
    public List<SerfMember> leftMembers() {
        return snapshots(left);
    }

    public int bufferedIntents() {
        return intents.size();
    }

    public List<MemberEvent> drainEvents() {
        List<MemberEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    private static List<SerfMember> snapshots(Collection<State> states) {
        return states.stream().map(State::snapshot).toList();
    }

    private void emit(MemberEvent.Type type, State m, long nowMillis) {
        events.add(new MemberEvent(type, m.snapshot(), nowMillis));
    }
}
