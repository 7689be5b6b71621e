package io.conclave.gossip.internal.serf;

import java.util.Map;

/**
 * A snapshot of one member as serf sees it ({@code memberState}): its tags, serf status, the
 * Lamport time of the newest join/leave intent applied to it, and when it went failed/left (-1 while
 * alive or leaving), which is what the reaper measures {@code reconnect_timeout} and
 * {@code tombstone_timeout} from.
 */
public record SerfMember(String name, Map<String, String> tags, MemberStatus status, long statusLTime,
        long leaveTimeMillis) {

    public SerfMember {
        tags = Map.copyOf(tags);
    }
}
