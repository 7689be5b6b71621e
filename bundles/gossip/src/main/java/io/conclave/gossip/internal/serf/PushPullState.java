package io.conclave.gossip.internal.serf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * serf's push-pull user state ({@code messagePushPull}, type 2): the three clocks, every member's
 * statusLTime, the left members and the whole event ring ({@code null} for empty slots). It exists
 * because intents and events are only gossiped for a while; the periodic full-state exchange is
 * what lets a node that missed them (a partition, a fresh join) catch up. The codec lives with the
 * runtime; this is the decoded content.
 */
public record PushPullState(long ltime, Map<String, Long> statusLTimes, List<String> leftMembers,
        long eventLTime, List<EventBuffer.Slot> events, long queryLTime) {

    public PushPullState {
        statusLTimes = Collections.unmodifiableMap(new LinkedHashMap<>(statusLTimes));
        leftMembers = List.copyOf(leftMembers);
        events = Collections.unmodifiableList(new ArrayList<>(events));
    }
}
