package io.conclave.gossip.internal.serf;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The pieces of one serf instance that share state across mechanisms: the member status machine,
 * user events and the query clock, plus serf's push-pull delegate ({@code delegate.go}
 * {@code LocalState} / {@code MergeRemoteState}), which is the one place all three clocks and the
 * intents meet. Pure: the runtime encodes the state and drives time.
 */
public final class SerfCore {

    private final Membership membership;
    private final UserEvents userEvents;
    private final QueryDedupe queries;

    public SerfCore(String self, SerfConfig config) {
        this.membership = new Membership(self, config);
        this.userEvents = new UserEvents(config);
        this.queries = new QueryDedupe(config.queryBuffer());
    }

    public Membership membership() {
        return membership;
    }

    public UserEvents userEvents() {
        return userEvents;
    }

    public QueryDedupe queries() {
        return queries;
    }

    /**
     * serf {@code Create} with a snapshot: the clocks read back from it. Old user events and queries
     * are not delivered again ({@code eventMinTime}, {@code queryMinTime} one past the snapshot's), and
     * the membership clock resumes past its last seen time. Call before {@link Membership#joinIntentForSelf},
     * which makes serf's start-up increment (serf increments, then witnesses; witnessing one less, then
     * incrementing, lands on the same time).
     */
    public void restoreClocks(long clock, long eventClock, long queryClock) {
        if (clock != 0) {
            membership.clock().witness(clock - 1);
        }
        userEvents.setMinTime(eventClock + 1);
        userEvents.clock().witness(eventClock);
        queries.setMinTime(queryClock + 1);
        queries.clock().witness(queryClock);
    }

    /** serf {@code LocalState}. */
    public PushPullState localState() {
        Map<String, Long> status = new LinkedHashMap<>();
        for (SerfMember m : membership.members()) {
            status.put(m.name(), m.statusLTime());
        }
        return new PushPullState(membership.clock().time(), status,
                membership.leftMembers().stream().map(SerfMember::name).toList(),
                userEvents.clock().time(), userEvents.buffer().slots(), queries.clock().time());
    }

    /**
     * serf {@code MergeRemoteState}: witness each clock at one below the remote's (no message with
     * that time was sent yet), replay left members as leave intents one past their statusLTime
     * (the real leave LTime is not sent, but it must be later), the rest as join intents, then the
     * remote's events. On a join with {@code ignoreOldEvents} ({@code serf.Join(..., true)}, Consul's
     * default) the event floor is raised to the remote's event time first, so history is not replayed.
     */
    public void mergeRemoteState(PushPullState remote, boolean isJoin, boolean ignoreOldEvents, long nowMillis) {
        if (remote.ltime() != 0) {
            membership.clock().witness(remote.ltime() - 1);
        }
        if (remote.eventLTime() != 0) {
            userEvents.clock().witness(remote.eventLTime() - 1);
        }
        if (remote.queryLTime() != 0) {
            queries.clock().witness(remote.queryLTime() - 1);
        }
        Set<String> left = new HashSet<>(remote.leftMembers());
        for (String name : remote.leftMembers()) {
            membership.leaveIntent(name, remote.statusLTimes().getOrDefault(name, 0L) + 1, false, nowMillis);
        }
        for (Map.Entry<String, Long> e : remote.statusLTimes().entrySet()) {
            if (!left.contains(e.getKey())) {
                membership.joinIntent(e.getKey(), e.getValue(), nowMillis);
            }
        }
        if (isJoin && ignoreOldEvents) {
            userEvents.raiseMinTime(remote.eventLTime());
        }
        for (EventBuffer.Slot slot : remote.events()) {
            if (slot == null) {
                continue;
            }
            for (UserEvent e : slot.events()) {
                // The ring does not carry CC; serf replays with CC false.
                userEvents.receive(new UserEvent(slot.ltime(), e.name(), e.payload(), false));
            }
        }
    }
}
